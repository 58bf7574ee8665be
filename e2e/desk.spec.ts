/**
 * The ticket page's decision box and findings as a team uses them on day one: the box follows a
 * changed suggestion (or offers the switch), a findings conflict keeps the agent's edits beside
 * the other person's, an override's amount starts at the room left, and the proposer hears about
 * the review of a proposal. Each test works on a ticket of its own (e2e/fixtures.ts, `desk`).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

// Two people, sign-ins and server round trips on a busy machine: give each flow room.
test.describe.configure({ timeout: 180_000 });

const desk = () => fixtures().desk;
const decisionRegion = (page: Page) => page.getByRole('region', { name: 'Decision' });
const finding = (page: Page, label: RegExp) => page.getByRole('group', { name: label });

async function openTicket(page: Page, id: number) {
  await page.goto(`/tickets/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `T-${id}` })).toBeVisible();
  await expect(decisionRegion(page).getByTestId('decision-form')).toBeVisible();
  return decisionRegion(page);
}

async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

test('an untouched decision box follows the suggestion when saved findings change it', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const region = await openTicket(page, desk().follows);
  await expect(region.getByRole('radio', { name: /^Balance credit/ })).toBeChecked();

  await finding(page, /^Target public/)
    .getByLabel('No', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Save findings' }).click();
  await expect(page.getByText('Findings saved. Suggestion: Deny.')).toBeVisible();

  await expect(region.getByRole('radio', { name: /^Deny/ })).toBeChecked();
  await expect(region.getByRole('radio').first()).toHaveAccessibleName(/^Deny/);
  await expect(region.getByLabel(/^Amount/)).toHaveCount(0);
  await expect(region.getByLabel('Reason for the override')).toHaveCount(0);
  await expect(region.getByTestId('decision-suggestion-changed')).toHaveCount(0);
});

test('an edited decision box keeps the agent’s choice and offers the new suggestion in one click', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const region = await openTicket(page, desk().offersSwitch);
  const reply = region.getByLabel('Reply to the customer');
  await reply.fill('Hello, my own words.');

  await finding(page, /^Target public/)
    .getByLabel('No', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Save findings' }).click();
  await expect(page.getByText('Findings saved. Suggestion: Deny.')).toBeVisible();

  const notice = region.getByTestId('decision-suggestion-changed');
  await expect(notice).toContainText('Suggestion changed to Deny');
  // Kept: the agent's outcome and words (now an override of the new suggestion).
  await expect(region.getByRole('radio', { name: /^Balance credit/ })).toBeChecked();
  await expect(reply).toHaveValue('Hello, my own words.');
  await expect(region.getByLabel('Reason for the override')).toBeVisible();
  await region.screenshot({ path: test.info().outputPath('suggestion-changed.png') });

  await notice.getByRole('button', { name: 'Use it' }).click();
  await expect(region.getByRole('radio', { name: /^Deny/ })).toBeChecked();
  await expect(region.getByLabel('Reason for the override')).toHaveCount(0);
  await expect(region.getByTestId('decision-suggestion-changed')).toHaveCount(0);
});

test('a findings save that conflicts keeps the agent’s edits and shows theirs beside them', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await openTicket(page, desk().conflict);
  // The agent starts editing…
  await finding(page, /^Platform action/)
    .getByLabel('Yes', { exact: true })
    .check();

  // …while other findings are saved on the same ticket from another tab (a claim keeps other people
  // out of a claimed ticket, so the save that overtakes this one is the agent's own, elsewhere).
  const other = await page.context().newPage();
  await other.goto(`/tickets/${desk().conflict}`);
  await finding(other, /^Target public/)
    .getByLabel('No', { exact: true })
    .check();
  await other.getByRole('button', { name: 'Save findings' }).click();
  await expect(other.getByText(/^Findings saved\./)).toBeVisible();
  await other.close();

  // The agent's save is refused, with their edits kept and theirs shown.
  await page.getByRole('button', { name: 'Save findings' }).click();
  const conflict = page.getByTestId('findings-conflict');
  await expect(conflict).toBeVisible();
  await expect(conflict.locator('tr[data-finding="targetPublic"]')).toContainText('No');
  await expect(conflict.locator('tr[data-finding="platformAction"] [data-testid="findings-yours"]')).toHaveText('Yes');
  await expect(finding(page, /^Platform action/).getByLabel('Yes', { exact: true })).toBeChecked();
  await page.getByRole('region', { name: 'Findings' }).screenshot({ path: test.info().outputPath('findings-conflict.png') });

  // Saving again on purpose replaces theirs (the page then shows the new suggestion).
  await conflict.getByRole('button', { name: 'Save mine over theirs' }).click();
  await expect(page.getByText(/^Findings saved\./)).toBeVisible();
  await expect(page.getByTestId('findings-conflict')).toHaveCount(0);
  await expect(finding(page, /^Platform action/).getByLabel('Yes', { exact: true })).toBeChecked();
});

test('an override to a balance credit starts at the room left on the order', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const region = await openTicket(page, desk().overrideRoom);
  await expect(region.getByRole('radio', { name: /^Deny/ })).toBeChecked();
  await region.getByRole('radio', { name: /^Balance credit/ }).check();
  const amount = region.getByLabel(/^Amount/);
  await expect(amount).toHaveValue('12.50');
  await expect(region.getByText(/At most 12\.50 USD remains on order/)).toBeVisible();
});

test('the proposer is told when a supervisor approves the proposal: a toast and a count in the navigation until they look', async ({
  page,
  browser,
}) => {
  const id = desk().toApprove;
  // The queue's live stream is connected (its answer has started) before the review happens.
  const connected = page.waitForResponse((response) => response.url().includes('/api/live'));
  await signIn(page, DEMO.agent);
  await connected;
  const nav = page.getByRole('navigation', { name: 'Main' });

  const supervisor = await signedInPage(browser, DEMO.supervisor);
  await supervisor.page.goto('/approvals');
  const card = supervisor.page.locator(`[data-testid="approval"][data-ticket-id="${id}"]`);
  await card.getByRole('button', { name: 'Approve…' }).click();
  await card.getByRole('button', { name: 'Approve and execute' }).click();
  // The toast shows for a few seconds: looked for while the supervisor's page finishes.
  await expect(page.getByTestId('toast').filter({ hasText: `approved your proposal on T-${id}` })).toBeVisible();
  await expect(card).toHaveCount(0);
  await supervisor.context.close();

  await expect(nav.getByTestId('nav-count-proposals')).toHaveText(/^[1-9]\d*$/);

  await nav.getByRole('link', { name: /^My proposals/ }).click();
  const row = page.locator(`[data-testid="my-proposal"][data-ticket-id="${id}"]`);
  await expect(row).toHaveAttribute('data-state', 'executed');
  await expect(row).toHaveAttribute('data-new', '');
  await page.screenshot({ path: test.info().outputPath('my-proposals.png') });
  await page.reload();
  await expect(nav.getByTestId('nav-count-proposals')).toHaveCount(0);
});
