import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn, takeOverIfClaimed } from './helpers';

/** What the ticket page's markup says about one ticket (read from its HTML, no database access). */
interface TicketFacts {
  id: number;
  claim: string;
  status: string;
  events: number;
  thumbnails: number;
  reasonCodes: string[];
}

const attr = (html: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(html)?.[1] ?? '';
const count = (html: string, testId: string) => html.split(`data-testid="${testId}"`).length - 1;

/** What each ticket page showed, per worker: the scan reads every page at most once. */
const seen = new Map<number, TicketFacts | null>();

async function readTicket(page: Page, id: number): Promise<TicketFacts | null> {
  if (seen.has(id)) return seen.get(id)!;
  const response = await page.request.get(`/tickets/${id}`);
  const html = response.status() === 200 ? await response.text() : null;
  const facts = html
    ? {
        id,
        claim: attr(html, 'data-claim'),
        status: attr(html, 'data-status'),
        events: count(html, 'timeline-event'),
        thumbnails: count(html, 'evidence-thumbnail'),
        reasonCodes: attr(html, 'data-reason-codes').split(' ').filter(Boolean),
      }
    : null;
  seen.set(id, facts);
  return facts;
}

/**
 * The lowest-numbered ticket (of the 120 seeded) that `wanted` accepts: deterministic for seed 7.
 * Pages are read a few at a time, in order; no database access from here.
 */
async function findTicket(page: Page, wanted: (t: TicketFacts) => boolean): Promise<TicketFacts> {
  for (let first = 1; first <= 120; first += 6) {
    const batch = await Promise.all(Array.from({ length: 6 }, (_, i) => readTicket(page, first + i)));
    const found = batch.find((t): t is TicketFacts => t !== null && wanted(t));
    if (found) return found;
  }
  throw new Error('No seeded ticket fits; has the demo data changed?');
}

const withOrderAndEvidence = (t: TicketFacts) => t.events > 0 && t.thumbnails > 0;

/**
 * Deciding reasons that mean the claim passed the account, timeliness and completeness rules and
 * is not denied yet: a finding still decides it (verify), or the company's fault does (reprocess, credit).
 */
const OPEN_ON_FACTS = new Set(['needs_verification', 'company_fault']);
/** Also decided after rule 5's targetPublic check (a server reused by an interrupted run may have no open one left). */
const AFTER_TARGET_PUBLIC = new Set([
  ...OPEN_ON_FACTS,
  'minor_variance',
  'not_company_fault',
  'started_order',
  'completed_order',
  'target_changed',
  'duplicate_order',
  'multiple_providers',
  'platform_action',
]);

test.use({ viewport: { width: 1440, height: 900 } });
// Finding a fitting ticket reads ticket pages; give that room on a busy machine.
test.describe.configure({ timeout: 60_000 });

test('the order timeline and the evidence sit side by side at 1440×900', async ({ page }, testInfo) => {
  await signIn(page, DEMO.agent);
  const ticket = await findTicket(page, withOrderAndEvidence);
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
  const ticket = await findTicket(page, withOrderAndEvidence);
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
  const isCandidate = (reasons: Set<string>) => (t: TicketFacts) =>
    ['not_delivered', 'partial_delivery'].includes(t.claim) && t.status !== 'resolved' && reasons.has(t.reasonCodes[0] ?? '');
  const ticket = await findTicket(page, isCandidate(OPEN_ON_FACTS)).catch(() => findTicket(page, isCandidate(AFTER_TARGET_PUBLIC)));
  seen.delete(ticket.id);
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
  const ticket = await findTicket(page, withOrderAndEvidence);
  await page.goto(`/tickets/${ticket.id}`);
  await takeOverIfClaimed(page);
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
  const ticket = await findTicket(page, withOrderAndEvidence);
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
  const ticket = await findTicket(page, (t) => t.events === 0 || t.thumbnails === 0);
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
  const ticket = await findTicket(page, withOrderAndEvidence);
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
