import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });
// Each test opens a ticket made for it (e2e/fixtures.ts), by id.
const ticketPage = () => fixtures().ticketPage;

test('the order timeline and the evidence sit side by side at 1440×900', async ({ page }, testInfo) => {
  await signIn(page, DEMO.agent);
  const ticket = { id: ticketPage().withEvidence };
  await page.goto(`/tickets/${ticket.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `T-${ticket.id}` })).toBeVisible();

  const timeline = page.getByRole('region', { name: 'Order timeline' });
  const evidence = page.getByRole('region', { name: 'Evidence' });
  await expect(timeline.getByTestId('timeline-event').first()).toBeVisible();
  await expect(evidence.getByRole('img', { name: /^Evidence 1: / })).toBeVisible();
  // Every thumbnail actually loaded through the evidence route.
  await expect
    .poll(() =>
      evidence
        .locator('img')
        .evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)),
    )
    .toBe(true);

  const t = (await timeline.boundingBox())!;
  const e = (await evidence.boundingBox())!;
  expect(e.x).toBeGreaterThanOrEqual(t.x + t.width - 1); // evidence column to the right of the timeline column
  expect(e.y).toBeLessThan(t.y + t.height); // and overlapping vertically
  expect(t.y).toBeLessThan(e.y + e.height);
  expect(e.x + e.width).toBeLessThanOrEqual(1440);

  const shot = testInfo.outputPath('ticket-1440x900.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('ticket-1440x900', { path: shot, contentType: 'image/png' });
  const artifacts = path.join(process.cwd(), 'test-results', 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  copyFileSync(shot, path.join(artifacts, 'ticket-1440x900.png'));
});

test('the evidence viewer zooms with buttons and keys, and Escape closes it back to the thumbnail', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const ticket = { id: ticketPage().withEvidence };
  await page.goto(`/tickets/${ticket.id}`);
  const thumbnail = page.getByRole('button', { name: /^Open evidence 1 / });
  await thumbnail.click();
  const viewer = page.getByRole('dialog', { name: /^Evidence 1: / });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Close' })).toBeFocused();
  const zoom = viewer.locator('output');
  const fit = await zoom.textContent();
  await page.keyboard.press('+');
  await expect(zoom).not.toHaveText(fit!);
  await viewer.getByRole('button', { name: 'Zoom out' }).click();
  await viewer.getByRole('button', { name: 'Fit' }).click();
  await expect(zoom).toHaveText(fit!);
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await expect(thumbnail).toBeFocused();
});

test('saving "Target public: No" on a complete order claim turns the suggestion into Deny under "Situations that are not refundable"', async ({
  page,
}) => {
  await signIn(page, DEMO.agent);
  const ticket = { id: ticketPage().toVerify };
  await page.goto(`/tickets/${ticket.id}`);
  const suggestion = page.getByTestId('suggestion');
  const before = { outcome: await suggestion.getAttribute('data-outcome'), codes: await suggestion.getAttribute('data-reason-codes') };
  expect(before.codes).not.toMatch(/^target_private/);
  const targetPublic = () => page.getByRole('group', { name: /^Target public/ });
  const original = (await targetPublic().locator('input:checked').getAttribute('value'))!;

  await targetPublic().getByLabel('No', { exact: true }).check();
  await page.getByRole('button', { name: 'Save findings' }).click();
  await expect(page.getByText('Findings saved. Suggestion: Deny.')).toBeVisible();

  await expect(suggestion).toHaveAttribute('data-outcome', 'deny');
  await expect(suggestion).toHaveAttribute('data-reason-codes', /^target_private\b/);
  await expect(suggestion.getByText('Deny', { exact: true })).toBeVisible();
  const clause = suggestion.locator('details').first();
  await expect(clause.locator('summary')).toContainText('Policy: Situations that are not refundable');
  await clause.locator('summary').click();
  await expect(clause.getByText(/private, hidden, deleted/)).toBeVisible();
  await expect(page.getByTestId('findings-saved')).toContainText('Saved by');

  // It stays after a reload: it was stored, not only shown.
  await page.reload();
  await expect(page.getByTestId('suggestion')).toHaveAttribute('data-outcome', 'deny');
  await expect(targetPublic().getByLabel('No', { exact: true })).toBeChecked();

  // Back as it was: the suggestion returns to what it was (and the ticket serves the next run).
  await targetPublic().locator(`input[value="${original}"]`).check();
  await page.getByRole('button', { name: 'Save findings' }).click();
  await expect(page.getByText(/^Findings saved\./)).toBeVisible();
  await expect(page.getByTestId('suggestion')).toHaveAttribute('data-outcome', before.outcome!);
  await expect(page.getByTestId('suggestion')).toHaveAttribute('data-reason-codes', before.codes!);
});

test('an agent writes an internal note from a template, and an empty reply is refused on the spot', async ({ page }) => {
  await signIn(page, DEMO.agent2);
  const ticket = { id: ticketPage().forNote };
  await page.goto(`/tickets/${ticket.id}`);
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByText('Write a message.')).toBeVisible();

  await page.getByLabel('Template').selectOption({ label: 'Internal note: the suggestion in brief' });
  await expect(page.getByRole('radio', { name: 'Internal note' })).toBeChecked();
  await expect(page.getByRole('textbox', { name: 'Note text' })).toHaveValue(/^Policy \S+ suggests /);
  await page.getByRole('button', { name: 'Add internal note' }).click();
  await expect(page.getByText('Internal note added.')).toBeVisible();
  const note = page.getByTestId('conversation').locator('li[data-kind="note"]').last();
  await expect(note).toContainText('Internal note');
  await expect(note).toContainText(/Policy \S+ suggests/);
});

test('the ticket page has no serious or critical accessibility problems, viewer open or closed', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const ticket = { id: ticketPage().withEvidence };
  await page.goto(`/tickets/${ticket.id}`);
  await expect(page.getByTestId('timeline-event').first()).toBeVisible();
  const serious = async () =>
    (await new AxeBuilder({ page }).analyze()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(await serious()).toEqual([]);

  await page.getByRole('button', { name: /^Open evidence 1 / }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await serious()).toEqual([]);
});

test('a ticket with none of the optional parts still renders every panel', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const ticket = { id: ticketPage().bare };
  await page.goto(`/tickets/${ticket.id}`);
  for (const name of ['Order timeline', 'Payment', 'Evidence', 'Suggestion', 'Findings', 'Conversation']) {
    await expect(page.getByRole('region', { name })).toBeVisible();
  }
});

test('unknown and malformed ticket ids get the not-found page', async ({ page }) => {
  await signIn(page, DEMO.agent);
  for (const id of ['99999999', 'abc', '0', '1.5']) {
    const response = await page.goto(`/tickets/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'There is no such ticket' })).toBeVisible();
    // Still inside the desk: the navigation stays.
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }
});

test('evidence files come with a staff session only, with safe headers', async ({ page, request, browser }) => {
  const anonymous = await request.get('/api/evidence/1');
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()['content-type']).toContain('application/problem+json');

  const visitor = await browser.newContext();
  const anonymousPage = await visitor.newPage();
  await anonymousPage.goto('/tickets/1');
  await expect(anonymousPage).toHaveURL(/\/login\?callbackUrl=%2Ftickets%2F1/);
  await expect(anonymousPage.getByRole('heading', { name: 'Sign in to the support desk' })).toBeVisible();
  await visitor.close();

  await signIn(page, DEMO.agent);
  const ticket = { id: ticketPage().withEvidence };
  await page.goto(`/tickets/${ticket.id}`);
  const src = await page.getByTestId('evidence-thumbnail').first().getAttribute('src');
  const file = await page.request.get(src!);
  expect(file.status()).toBe(200);
  const headers = file.headers();
  expect(headers['content-type']).toMatch(/^image\//);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['content-disposition']).toMatch(/^inline; filename=/);
  expect(headers['cache-control']).toBe('private, max-age=3600');
  expect((await page.request.get('/api/evidence/99999999')).status()).toBe(404);
});

test('one suggestion on every panel, the claim window apart from the service level, and on to the next ticket', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await page.goto(`/tickets/${ticketPage().toVerify}`);
  const header = page.getByTestId('ticket-header');
  await expect(header.getByTestId('filed')).toHaveText(/Filed (in time|late)/);
  await expect(header.getByTestId('sla')).toHaveAttribute('data-sla', /first_response|resolution|paused/);
  await expect(header.getByText(/^overdue /)).toHaveCount(0);
  const outcome = await page.getByTestId('suggestion').getAttribute('data-outcome');
  expect(outcome).toBeTruthy();
  await expect(page.getByText('No suggestion yet')).toHaveCount(0);
  const decisionOutcome = await page.getByTestId('decision-panel').getAttribute('data-suggested-outcome');
  if (outcome !== 'verify') expect(decisionOutcome).toBe(outcome);
  await expect(page.getByTestId('desk-credits')).toBeVisible();
  await expect(page.getByRole('region', { name: 'The customer’s other tickets' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Next ticket/ })).toBeVisible();
});

test('a reply can set the ticket to wait for the customer, and says it is queued, not sent', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await page.goto(`/tickets/${ticketPage().bare}`);
  const form = page.getByTestId('reply-form');
  await form.getByRole('textbox').fill('Could you send us a screenshot of the order page, please?');
  await form.getByLabel('and then').selectOption('waiting_customer');
  await form.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Reply queued' })).toBeVisible();
  await expect(page.getByTestId('ticket-page')).toHaveAttribute('data-status', 'waiting_customer');
  await expect(page.getByTestId('ticket-header').getByTestId('sla')).toHaveAttribute('data-sla', 'paused');
  // Your own change raises no "changed by someone else" notice.
  await expect(page.getByText(/changed by someone else|was changed/i)).toHaveCount(0);
});
