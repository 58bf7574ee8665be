import { expect, test, type Page } from '@playwright/test';
import { simulate } from '../sim/run';
import { DEMO, signIn } from './helpers';

// Two sign-ins (argon2), a simulator run and a production server shared with other specs.
test.describe.configure({ timeout: 120_000 });

const OUTCOMES = /^(Deny|Request information|Verify|Reprocess|Refill|Balance credit|Cash refund|Escalate)$/;

/** The admin creates a key with the panel's scopes at /admin/api-keys and reads it off the "shown once" dialog. */
async function createPanelKey(page: Page, name: string): Promise<string> {
  await signIn(page, DEMO.admin);
  await page.goto('/admin/api-keys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an API key' });
  await dialog.getByLabel('Name').fill(name);
  for (const scope of [/intake:write/, /order-events/]) {
    await dialog.getByRole('checkbox', { name: scope }).check();
    await expect(dialog.getByRole('checkbox', { name: scope })).toBeChecked();
  }
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('dialog', { name: `API key “${name}”` });
  const key = await shown.getByTestId('new-api-key').inputValue();
  expect(key).toMatch(/^rdk_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId(`api-key-${name}`)).toContainText('intake:write');
  return key;
}

test('a key made in the browser feeds the simulator, and its new tickets reach an agent’s open queue live, with their suggestion', async ({
  browser,
  baseURL,
}) => {
  const [adminContext, agentContext] = await Promise.all([browser.newContext(), browser.newContext()]);
  const admin = await adminContext.newPage();
  const agent = await agentContext.newPage();
  const run = `e2e${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const key = await createPanelKey(admin, `sim-${run}`);

  // The agent has the open queue up, newest first, before the panel sends anything.
  await signIn(agent, DEMO.agent);
  await agent.goto('/tickets?sort=opened');
  await expect(agent.getByLabel('Sort by')).toHaveValue('opened');
  await expect(agent.getByRole('link', { name: /^Open/ })).toHaveAttribute('aria-current', 'page');
  // Set on this document: still there at the end means the page was never reloaded.
  await agent.evaluate(() => ((window as unknown as { e2eNoReload?: boolean }).e2eNoReload = true));

  // The simulator plays the panel through the API only, with the key the admin copied: mostly
  // tickets, a low rate (the server's default limit is 50/s per key), stopped after a few tickets.
  const created: { id: number; panelId: string }[] = [];
  const stop = new AbortController();
  const stats = await simulate({
    url: baseURL!,
    key,
    rate: 8,
    minutes: 0.25,
    seed: 12,
    idPrefix: `${run}-`,
    ticketShare: 1,
    concurrency: 2,
    signal: stop.signal,
    log: () => {},
    onAnswer: (request, answer) => {
      if (request.kind !== 'ticket' || answer.status !== 201) return;
      created.push(answer.body as { id: number; panelId: string });
      if (created.length >= 3) stop.abort();
    },
  });
  expect(stats.errors, [...stats.reasons.keys()].join('; ')).toBe(0);
  expect(created.length).toBeGreaterThan(0);
  for (const t of created) expect(t.panelId.startsWith(`${run}-`)).toBe(true);

  // The queue heard of every one of them over /api/live (other specs' changes may add to the count).
  const notice = agent.getByTestId('live-notice');
  await expect
    .poll(async () => Number(/^(\d+) new or changed/.exec((await notice.textContent({ timeout: 1000 }).catch(() => '')) ?? '')?.[1] ?? 0))
    .toBeGreaterThanOrEqual(created.length);
  // Nothing moved under the pointer: they appear when the agent asks for the changes.
  for (const { id } of created) await expect(agent.locator(`tr[data-ticket-id="${id}"]`)).toHaveCount(0);
  await notice.click();
  await expect(notice).toBeHidden();

  // Each new ticket is in the open queue, unassigned, with the suggestion computed on arrival.
  for (const { id } of created) {
    const row = agent.locator(`tr[data-ticket-id="${id}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByRole('cell').nth(0)).toHaveText(new RegExp(`^T-${id}`));
    await expect(row.getByRole('cell').nth(5)).toHaveText(OUTCOMES);
    await expect(row.getByRole('cell').nth(7)).toHaveText('Open');
    await expect(row.getByRole('button', { name: `Claim ticket T-${id}` })).toBeVisible();
  }
  expect(await agent.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload)).toBe(true);
  await Promise.all([adminContext.close(), agentContext.close()]);
});
