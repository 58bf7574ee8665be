import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

test('a supervisor filters the log to a ticket from its page, opens an event, exports the CSV', async ({ page }) => {
  const ticket = fixtures().audit.ticket;
  await signIn(page, DEMO.supervisor);
  await page.goto(`/tickets/${ticket}`);
  await page.getByRole('link', { name: 'Audit log of this ticket' }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?ticket=${ticket}$`));
  await expect(page.getByLabel('Ticket', { exact: true })).toHaveValue(String(ticket));
  const rows = page.locator('tr[data-event-id]');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-action', 'decision.proposed');

  // Open the findings event: its nested change reads field by field.
  await rows
    .nth(1)
    .getByRole('link', { name: /Details/ })
    .click();
  const detail = page.getByTestId('event-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('row', { name: /findings\.targetPublic/ })).toContainText('false');
  await expect(detail.getByRole('row', { name: /suggestedOutcome/ })).toContainText('verify');
  await expect(detail.getByRole('row', { name: /findings\.linkValid/ })).toHaveCount(0);
  await expect(detail.getByText('203.0.113.9')).toBeVisible();
  await expect(detail.getByRole('link', { name: `Ticket T-${ticket}` })).toBeVisible();

  // The filters combine and stay in the URL.
  await page.getByLabel('Action').selectOption('decisions');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/action=decisions/);
  await expect(rows).toHaveCount(1);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  await expect(page.getByTestId('export-progress')).toHaveText(/1 rows exported/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toContain('action,entity_type,entity_id,reason');
  expect(csv).toContain('E2E audit trail: denying, target private');
  expect(csv).not.toContain('the profile was private');

  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('the chain status verifies on demand, and agents cannot reach the log or its API', async ({ page, browser }) => {
  await signIn(page, DEMO.supervisor);
  await page.goto('/audit');
  await expect(page.getByTestId('chain-status')).toContainText('Head');
  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByTestId('verify-result')).toContainText(/Intact: [\d,]+ events verified/, { timeout: 30_000 });

  const agent = await browser.newPage();
  await signIn(agent, DEMO.agent);
  const api = await agent.request.get('/api/v1/audit?ticket=1');
  expect(api.status()).toBe(403);
  const exported = await agent.request.get('/api/v1/audit/export?format=csv');
  expect(exported.status()).toBe(403);
  await agent.close();

  const json = await page.request.get(`/api/v1/audit?ticket=${fixtures().audit.ticket}&action=decisions`);
  expect(json.status()).toBe(200);
  const body = (await json.json()) as { events: { action: string }[] };
  expect(body.events.map((e) => e.action)).toEqual(['decision.proposed']);
});
