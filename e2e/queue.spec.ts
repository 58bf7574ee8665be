import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { DEMO, signIn } from './helpers';

const rows = (page: import('@playwright/test').Page) => page.locator('tr[data-ticket-id]');

test('filters, searches and pages through the queue, all in the URL', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await page.getByRole('link', { name: /^All/ }).click();
  await expect(page).toHaveURL(/status=all/);
  await expect(rows(page)).toHaveCount(50);
  const firstPageIds = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket-id')));

  await page.getByRole('link', { name: /Next 50/ }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(rows(page).first()).not.toHaveAttribute('data-ticket-id', firstPageIds[0]!);
  const secondPageIds = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket-id')));
  expect(secondPageIds.filter((id) => firstPageIds.includes(id))).toEqual([]);
  await page.goBack();
  await expect(rows(page).first()).toHaveAttribute('data-ticket-id', firstPageIds[0]!);

  await page.getByLabel('Claim', { exact: true }).selectOption('drop');
  await expect(page).toHaveURL(/claim=drop/);
  await expect(rows(page).first()).toBeVisible();
  for (const claim of await rows(page).locator('td:nth-child(3) > div:first-child').allTextContents()) expect(claim).toBe('Drop');

  const customer = (await rows(page).first().locator('td:nth-child(2) div').first().textContent())!.trim();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search tickets')).toBeFocused();
  await page.keyboard.type(customer);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(customer)}`));
  for (const name of await rows(page).locator('td:nth-child(2) div:first-child').allTextContents()) expect(name).toBe(customer);
});

test('a hand-edited link shows the queue with a sentence, not a validation dump; search takes T-15 and #order', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await page.goto('/tickets?claim=everything&status=all');
  await expect(page.getByTestId('queue-ignored')).toHaveText(/The claim “everything” is not one the queue knows, so it is left out\./);
  await expect(rows(page).first()).toBeVisible();

  // A ticket with an order (payment and account tickets have none), found by T-id, then by #order.
  const orderCell = 'td:nth-child(4) .font-mono';
  const withOrder = rows(page)
    .filter({ has: page.locator(orderCell) })
    .first();
  const id = (await withOrder.getAttribute('data-ticket-id'))!;
  await page.getByLabel('Search tickets').fill(`T-${id}`);
  await page.keyboard.press('Enter');
  await expect(rows(page).first()).toHaveAttribute('data-ticket-id', id);
  const order = (await rows(page).first().locator(orderCell).textContent())!;
  expect(order).toMatch(/^#/);
  await page.getByLabel('Search tickets').fill(order.split(' ')[0]!);
  await page.keyboard.press('Enter');
  await expect(page.locator(`tr[data-ticket-id="${id}"]`)).toBeVisible();
  await expect(page.getByTestId('queue-ignored')).toHaveCount(0);
});

test('the queue is sorted by service level: filed in time or late beside it, and a breaching-soon filter', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await expect(page.getByLabel('Sort by')).toHaveValue('sla');
  await expect(rows(page).first().getByTestId('sla')).toBeVisible();
  await expect(rows(page).first().getByTestId('filed')).toHaveText(/filed (in time|late)|no claim window/);
  // The policy's claim window never shows as a red "overdue" on a ticket filed in time.
  await expect(page.getByText(/^overdue /)).toHaveCount(0);
  await page.getByLabel('Breaching soon').check();
  await expect(page).toHaveURL(/breaching=1/);
  for (const cell of await rows(page).getByTestId('sla').all()) await expect(cell).toHaveAttribute('data-sla', /first_response|resolution/);
});

for (const width of [1280, 390]) {
  test(`at ${width} wide nothing is clipped on the queue and the ticket page`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, DEMO.agent);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    if (width < 768) await expect(page.locator('thead')).toBeHidden();
    await page.goto(`/tickets/${(await rows(page).first().getAttribute('data-ticket-id'))!}`);
    await expect(page.getByTestId('ticket-header')).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
}

test('j/k move through the queue, ? lists the shortcuts and Enter opens a ticket', async ({ page }) => {
  await signIn(page, DEMO.supervisor);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const selected = page.locator('tr[data-selected]');
  await expect(selected).toHaveCount(1);
  const id = await selected.getAttribute('data-ticket-id');
  expect(id).toBe(await rows(page).first().getAttribute('data-ticket-id'));
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/tickets/${id}$`));
});

test('two agents pressing Next ticket at once get different tickets', async ({ browser }) => {
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  const pages = await Promise.all(contexts.map((c) => c.newPage()));
  await signIn(pages[0]!, DEMO.agent);
  await signIn(pages[1]!, DEMO.agent2);
  await Promise.all(pages.map((p) => p.getByRole('button', { name: /Next ticket/ }).click()));
  await Promise.all(pages.map((p) => expect(p).toHaveURL(/\/tickets\/\d+$/)));
  const [a, b] = pages.map((p) => new URL(p.url()).pathname);
  expect(a).not.toBe(b);
  await Promise.all(contexts.map((c) => c.close()));
});

test('the queue has no serious or critical accessibility issue', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await expect(rows(page).first()).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('anonymous users get nothing from the event stream or presence', async ({ request, baseURL }) => {
  expect((await request.get('/api/live')).status()).toBe(401);
  expect((await request.post('/api/presence', { data: { ticketId: 1 }, headers: { origin: baseURL! } })).status()).toBe(401);
});

test('two agents on the same ticket see each other', async ({ browser }) => {
  const [first, second] = await Promise.all([browser.newContext(), browser.newContext()]);
  const ana = await first.newPage();
  const ben = await second.newPage();
  await signIn(ana, DEMO.agent);
  await signIn(ben, DEMO.agent2);
  const id = await rows(ana).nth(7).getAttribute('data-ticket-id');
  await ana.goto(`/tickets/${id}`);
  await ben.goto(`/tickets/${id}`);
  // Ben sees Ana from the page itself; Ana sees Ben arrive over the live stream.
  await expect(ben.getByTestId(`viewers-${id}`)).toContainText('Also viewing:');
  await expect(ana.getByTestId(`viewers-${id}`)).toBeVisible();
  const [anaSees, benSees] = await Promise.all([
    ana.getByTestId(`viewers-${id}`).textContent(),
    ben.getByTestId(`viewers-${id}`).textContent(),
  ]);
  expect(anaSees).not.toEqual(benSees);
  await Promise.all([first.close(), second.close()]);
});

test('a ticket that takes a moment to open says so beside its link until its page is there, by click or by Enter', async ({ page }) => {
  await signIn(page, DEMO.agent);
  // A slow network or database: every ticket page answers after a second.
  await page.route(/\/tickets\/\d+/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  });
  const row = rows(page).nth(3);
  const id = await row.getAttribute('data-ticket-id');
  await row.getByRole('link', { name: `T-${id}` }).click();
  await expect(row.getByRole('status')).toHaveText('opening…');
  await expect(page.getByRole('heading', { level: 1, name: `T-${id}` })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'opening…' })).toHaveCount(0);

  await page.goBack();
  const first = rows(page).first();
  const firstId = await first.getAttribute('data-ticket-id');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(first.getByRole('status')).toHaveText('opening…');
  await expect(page.getByRole('heading', { level: 1, name: `T-${firstId}` })).toBeVisible();
});
