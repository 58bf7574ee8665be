/**
 * The money points as they are seen: the cancel protocol through the fake panel, the approval card's
 * facts, the delivery state of ledger movements on /credits, the daily-limit notice on the decision
 * bar, taking over a claimed ticket, and a supervisor's reassign from the queue and the ticket page.
 * Tickets are found through the queue's filters, each test its own, so they can run in parallel.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

test.describe.configure({ timeout: 120_000 });

const rows = (page: Page) => page.locator('tr[data-ticket-id]');
const decisionRegion = (page: Page) => page.getByRole('region', { name: 'Decision' });
const shots = process.env.E2E_SCREENSHOTS;

async function ticketFromQueue(page: Page, query: string, nth: number): Promise<string> {
  await page.goto(`/tickets?${query}`);
  await expect(rows(page).first()).toBeVisible();
  return (await rows(page).nth(nth).getAttribute('data-ticket-id'))!;
}

async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

async function openTicket(page: Page, id: string) {
  await page.goto(`/tickets/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `T-${id}` })).toBeVisible();
  return decisionRegion(page);
}

test('a cancel request on a submitted order: the panel is told to cancel, its answer settles the ticket, the reply goes out only then', async ({
  page,
}) => {
  await signIn(page, DEMO.agent);
  // A small cancel request (e2e fixture): under the threshold, it executes without a supervisor.
  const region = await openTicket(page, String(fixtures().money.cancelRequest));
  await expect(region.getByRole('radio', { name: /^Balance credit/ })).toBeChecked();
  await expect(region.getByTestId('decision-approval-note')).toContainText('No approval needed');
  await region.getByRole('button', { name: 'Execute decision' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Cancel sent to the panel' })).toBeVisible();

  // The fake panel cancels and refunds (or refuses); either way the ticket ends in one state.
  await expect
    .poll(
      async () => {
        await page.reload();
        return decisionRegion(page).getByTestId('decision-entry').first().getAttribute('data-state');
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toMatch(/^(executed|rejected)$/);
  const state = await decisionRegion(page).getByTestId('decision-entry').first().getAttribute('data-state');
  const deliveries = page.getByTestId('delivery-list');
  await expect(deliveries.locator('[data-kind="cancel"]')).toHaveAttribute('data-state', 'delivered');
  if (state === 'executed') {
    await expect(page.getByTestId('ticket-page')).toHaveAttribute('data-status', 'resolved');
    await expect(deliveries.locator('[data-kind="customer_reply"]')).toHaveCount(1);
    await expect(deliveries.locator('[data-kind="credit_granted"]')).toHaveCount(0);
  } else {
    await expect(page.getByTestId('ticket-page')).toHaveAttribute('data-status', 'open');
    await expect(deliveries.locator('[data-kind="customer_reply"]')).toHaveCount(0);
  }
});

test('the approval card shows every fact the decision rests on: findings, the panel’s refunds, earlier credits, what is left', async ({
  page,
  browser,
}) => {
  await signIn(page, DEMO.agent);
  const id = await ticketFromQueue(page, 'outcome=deny&status=open&assignee=unassigned&sort=amount', 2);
  const region = await openTicket(page, id);
  await region.getByRole('radio', { name: /^Balance credit/ }).check();
  await region.getByLabel(/^Amount/).fill('1.00');
  await region.getByLabel('Reason for the override').fill('Goodwill for the trouble, the customer waited long.');
  await region.getByRole('button', { name: 'Send for approval' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Sent for approval' })).toBeVisible();

  const supervisor = await signedInPage(browser, DEMO.supervisor);
  try {
    await supervisor.page.goto('/approvals');
    const card = supervisor.page.locator(`[data-testid="approval"][data-ticket-id="${id}"]`);
    await expect(card).toBeVisible();
    await expect(card.getByTestId('approval-findings')).toBeVisible();
    await expect(card.getByTestId('approval-refund-events')).toBeVisible();
    await expect(card.getByTestId('approval-earlier-credits')).toBeVisible();
    await expect(card.getByTestId('approval-room')).toContainText('Paid by desk');
    await expect(card.getByTestId('approval-room-remaining')).toContainText(/\d+\.\d{2}/);
    if (shots) await card.screenshot({ path: `${shots}/approval-card.png` });
  } finally {
    await supervisor.context.close();
  }
});

test('the decision bar shows the daily limit before submitting', async ({ page }) => {
  await signIn(page, DEMO.agent2);
  const id = await ticketFromQueue(page, 'outcome=deny&status=open&assignee=unassigned&sort=amount', 3);
  const region = await openTicket(page, id);
  await region.getByRole('radio', { name: /^Balance credit/ }).check();
  const notice = region.getByTestId('daily-limit-notice');
  await expect(notice).toContainText(/Your balance credits in the last 24 hours: \d+\.\d{2} of your daily limit of 150\.00/);
  // An amount above what is left of the limit would wait for a supervisor, and the bar says so first.
  await region.getByLabel(/^Amount/).fill('149.99');
  await expect(region.getByTestId('decision-approval-note')).toContainText('Needs supervisor approval');
});

test('/credits shows each ledger movement’s delivery to the panel', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto('/credits');
  await page.getByLabel('Search customers').fill('@');
  await page.getByLabel('Search customers').press('Enter');
  await page.getByRole('table', { name: 'Customers found' }).getByRole('link').nth(5).click();
  await expect(page).toHaveURL(/[?&]customer=\d+/);
  const form = page.getByTestId('credit-form');
  await form.getByLabel('Amount').fill('5.00');
  await form.getByLabel('Currency').selectOption('USD');
  await form.getByLabel('Reason').selectOption('goodwill');
  await form.getByLabel('Note').fill('Goodwill, delivered to the panel (e2e).');
  await form.getByRole('button', { name: 'Issue credit' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Credited 5.00 USD' })).toBeVisible();
  const newest = page.getByRole('table', { name: 'Ledger, newest first' }).locator('tbody tr').first();
  await expect(newest.getByTestId('entry-delivery')).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.reload();
        return page
          .getByRole('table', { name: 'Ledger, newest first' })
          .locator('tbody tr')
          .first()
          .getByTestId('entry-delivery')
          .getAttribute('data-state');
      },
      { timeout: 20_000, intervals: [1_000] },
    )
    .toBe('delivered');
  await expect(page.getByRole('table', { name: 'Ledger, newest first' }).locator('tbody tr').first()).toContainText('Delivered');
  if (shots) await page.screenshot({ path: `${shots}/credits.png`, fullPage: true });
});

test('a claim protects a ticket: another agent is told who has it and takes it over explicitly', async ({ page, browser }) => {
  await signIn(page, DEMO.agent);
  const id = await ticketFromQueue(page, 'outcome=request_info&status=open&assignee=unassigned', 0);
  await page.goto(`/tickets/${id}`);
  await page.getByRole('button', { name: `Claim ticket T-${id}` }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `You claimed T-${id}` })).toBeVisible();

  const other = await signedInPage(browser, DEMO.agent2);
  try {
    const region = await openTicket(other.page, id);
    await expect(region.getByTestId('decision-blocked')).toContainText('is claimed by Ana Agent');
    const takeOver = other.page.getByTestId('take-over');
    await expect(takeOver).toContainText('Claimed by Ana Agent');
    await takeOver.getByRole('button', { name: 'Take over' }).click();
    await takeOver.getByRole('button', { name: 'Take over from Ana Agent' }).click();
    await expect(other.page.getByTestId('toast').filter({ hasText: `You took over T-${id} from Ana Agent` })).toBeVisible();
    await expect(decisionRegion(other.page).getByTestId('decision-blocked')).toHaveCount(0);
    await expect(other.page.getByText(`Ana Agent: Ben Agent took over T-${id} from you.`)).toBeVisible();
  } finally {
    await other.context.close();
  }
  // The first agent is now the one refused.
  await page.reload();
  await expect(decisionRegion(page).getByTestId('decision-blocked')).toContainText('is claimed by Ben Agent');
});

test('a supervisor reassigns from the queue and from the ticket page', async ({ page }) => {
  await signIn(page, DEMO.supervisor);
  await page.goto('/tickets?outcome=request_info&status=open&assignee=unassigned');
  const row = rows(page).nth(1);
  const id = (await row.getAttribute('data-ticket-id'))!;
  const reassign = row.getByTestId('reassign');
  await reassign.getByLabel(`Reassign T-${id} to`).selectOption({ label: 'Ben Agent (agent)' });
  await reassign.getByRole('button', { name: 'Reassign' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `T-${id} is now Ben Agent’s.` })).toBeVisible();

  await page.goto(`/tickets/${id}`);
  await expect(page.getByTestId('ticket-header')).toContainText('Ben Agent');
  const onPage = page.getByTestId('ticket-page').getByTestId('reassign');
  await onPage.getByLabel(`Reassign T-${id} to`).selectOption({ label: 'Ana Agent (agent)' });
  await onPage.getByRole('button', { name: 'Reassign' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `T-${id} is now Ana Agent’s.` })).toBeVisible();
  await expect(page.getByTestId('ticket-header')).toContainText('Ana Agent');
});
