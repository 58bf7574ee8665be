/**
 * Decisions and approvals end to end. Assumes the ticket page mounts `<DecisionPanel>` inside a
 * section headed "Decision" (a region named "Decision"). Each test works on a ticket of its own,
 * made for it in the database before the run (e2e/fixtures.ts) and opened by id: a balance credit
 * under the threshold, and two tickets suggested `deny` (one on an order of 120.00).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

const decisionRegion = (page: Page) => page.getByRole('region', { name: 'Decision' });
const balanceCell = (page: Page) => page.getByTestId('desk-credits');

/** "1,234.50 USD" → 123450 (cents; "0.00" when the customer has no ledger yet). */
function cents(text: string): number {
  const match = /(−|-)?([\d,]+)\.(\d{2})/.exec(text);
  if (!match) throw new Error(`no amount in "${text}"`);
  const value = Number(match[2]!.replace(/,/g, '')) * 100 + Number(match[3]);
  return match[1] ? -value : value;
}

async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

// Each flow signs in one or two people and waits for server round trips and refreshes: give it room on a busy machine.
test.describe.configure({ timeout: 90_000 });

async function openTicket(page: Page, id: string): Promise<Locator> {
  await page.goto(`/tickets/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `T-${id}` })).toBeVisible();
  const region = decisionRegion(page);
  await expect(region.getByTestId('decision-form')).toBeVisible();
  return region;
}

test('an agent takes a suggested balance credit under the threshold: executed at once, balance, conversation and history update', async ({
  page,
}) => {
  await signIn(page, DEMO.agent);
  const id = String(fixtures().decisions.smallCredit);
  const region = await openTicket(page, id);

  // The suggestion comes first and filled in.
  const credit = region.getByRole('radio', { name: /^Balance credit/ });
  await expect(credit).toBeChecked();
  await expect(region.getByRole('radio').first()).toHaveAccessibleName(/^Balance credit/);
  const amount = await region.getByLabel(/^Amount/).inputValue();
  expect(amount).toMatch(/^\d+\.\d{2}$/);
  expect(cents(amount)).toBeLessThanOrEqual(5000);
  await expect(region.getByLabel('Reply to the customer')).toHaveValue(new RegExp(`added ${amount.replace('.', '\\.')} `));
  await expect(region.getByTestId('decision-approval-note')).toContainText('No approval needed');
  await expect(region.getByLabel('Reason for the override')).toHaveCount(0);

  const before = cents((await balanceCell(page).textContent()) ?? '');
  await region.getByRole('button', { name: 'Execute decision' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `Decision executed: Balance credit ${amount}` })).toBeVisible();

  // After the refresh: the history, the balance, the conversation and the status.
  const entry = region.getByTestId('decision-entry').first();
  await expect(entry).toHaveAttribute('data-state', 'executed');
  await expect(entry).toContainText(amount);
  await expect(entry).toContainText('Executed at once');
  await expect(entry.getByTestId('decision-params-version')).toContainText(/policy 2026-06-10, parameters v\d+/);
  await expect(region.getByTestId('decision-blocked')).toContainText('resolved');
  await expect.poll(async () => cents((await balanceCell(page).textContent()) ?? '')).toBe(before + cents(amount));
  await expect(page.getByRole('region', { name: 'Conversation' })).toContainText('to your panel balance');
  await expect(page.getByTestId('ticket-page')).toHaveAttribute('data-status', 'resolved');
});

test('an agent proposes a credit above the threshold; a supervisor approves it on /approvals; it is executed', async ({
  page,
  browser,
}) => {
  await signIn(page, DEMO.agent);
  const id = String(fixtures().decisions.bigDeny);
  const region = await openTicket(page, id);
  await expect(region.getByRole('radio', { name: /^Deny/ })).toBeChecked();
  const before = cents((await balanceCell(page).textContent()) ?? '');

  await region.getByRole('radio', { name: /^Balance credit/ }).check();
  await region.getByLabel(/^Amount/).fill('50.01');
  await region.getByLabel('Account action').selectOption('none');
  const reason = region.getByLabel('Reason for the override');
  await expect(reason).toBeVisible();
  // Without a reason the form refuses, naming the field.
  await region.getByRole('button', { name: 'Send for approval' }).click();
  await expect(region.locator('#decision-reason-error')).toContainText('at least 15 characters');
  await expect(region.getByLabel('Reason for the override')).toHaveAttribute('aria-invalid', 'true');
  await reason.fill('The provider confirmed the outage on this order; goodwill credit.');
  await expect(region.getByTestId('decision-approval-note')).toContainText('Needs supervisor approval');
  await expect(region.getByTestId('decision-approval-note')).toContainText('balance credit above 50.00');
  await region.getByRole('button', { name: 'Send for approval' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Sent for approval' })).toBeVisible();
  await expect(region.getByTestId('decision-entry').first()).toHaveAttribute('data-state', 'awaiting_approval');
  await expect(region.getByTestId('decision-blocked')).toContainText('waiting for approval');

  // The supervisor, in another browser context.
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  await supervisor.page.goto('/approvals');
  const card = supervisor.page.locator(`[data-testid="approval"][data-ticket-id="${id}"]`);
  await expect(card).toBeVisible();
  await expect(card.getByTestId('approval-facts')).toContainText(`T-${id}`);
  await expect(card.getByTestId('approval-suggestion')).toContainText('Deny');
  await expect(card.getByTestId('approval-params-version')).toContainText(/policy 2026-06-10, parameters v\d+/);
  await expect(card.getByTestId('approval-proposal')).toContainText('50.01');
  await expect(card.getByTestId('approval-proposal')).toContainText('The provider confirmed the outage');
  const { violations } = await new AxeBuilder({ page: supervisor.page }).include('main').analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await card.getByRole('button', { name: 'Approve…' }).click();
  await card.getByRole('button', { name: 'Approve and execute' }).click();
  await expect(card).toHaveCount(0);
  await supervisor.context.close();

  // The agent sees it executed, approved by the supervisor, and the balance up by 50.01.
  await page.reload();
  const entry = decisionRegion(page).getByTestId('decision-entry').first();
  await expect(entry).toHaveAttribute('data-state', 'executed');
  await expect(entry.getByTestId('decision-approved-by')).toBeVisible();
  await expect.poll(async () => cents((await balanceCell(page).textContent()) ?? '')).toBe(before + 5001);
});

test('an agent overrides a deny; a supervisor rejects it with a reason; the agent sees why on the ticket', async ({ page, browser }) => {
  await signIn(page, DEMO.agent);
  const id = String(fixtures().decisions.denyToReject);
  const region = await openTicket(page, id);
  await expect(region.getByRole('radio', { name: /^Deny/ })).toBeChecked();

  await region.getByRole('radio', { name: /^Escalate/ }).check();
  await region.getByLabel('Reason for the override').fill('The customer says the order never started; needs a second look.');
  await expect(region.getByTestId('decision-approval-note')).toContainText('override');
  await region.getByRole('button', { name: 'Send for approval' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Sent for approval' })).toBeVisible();

  const supervisor = await signedInPage(browser, DEMO.supervisor);
  await supervisor.page.goto('/approvals');
  const card = supervisor.page.locator(`[data-testid="approval"][data-ticket-id="${id}"]`);
  await card.getByRole('button', { name: 'Reject…' }).click();
  const why = card.getByLabel('Reason for rejecting');
  await why.fill('no');
  await card.getByRole('button', { name: 'Reject decision' }).click();
  await expect(card.locator('[id^="reject-reason-"][id$="-error"]')).toContainText('at least 5 characters');
  await why.fill('The order shows a wrong link; the deny stands.');
  await card.getByRole('button', { name: 'Reject decision' }).click();
  await expect(card).toHaveCount(0);
  await supervisor.context.close();

  await page.reload();
  const entry = decisionRegion(page).getByTestId('decision-entry').first();
  await expect(entry).toHaveAttribute('data-state', 'rejected');
  await expect(entry.getByTestId('decision-reject-reason')).toHaveText('The order shows a wrong link; the deny stands.');
  await expect(entry.getByTestId('decision-rejected-by')).toContainText('Rejected by');
  // The bar is open again for a new proposal.
  await expect(decisionRegion(page).getByTestId('decision-blocked')).toHaveCount(0);
  await expect(decisionRegion(page).getByRole('button', { name: /Execute decision|Send for approval/ })).toBeVisible();
});

test('agents cannot open /approvals', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const response = await page.goto('/approvals');
  expect(response?.status()).toBe(403);
});
