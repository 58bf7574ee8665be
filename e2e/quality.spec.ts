import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { DEMO, signIn } from './helpers';

const ninetyDaysAgo = () => new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);

test('the quality page draws its charts from the demo data, with tables, and axe finds nothing serious', async ({ page }) => {
  await signIn(page, DEMO.supervisor);
  await page.goto(`/quality?from=${ninetyDaysAgo()}`);
  for (const id of [
    'decisions-per-day',
    'overrides-per-agent',
    'overrides-per-reason',
    'credits-per-day',
    'credits-per-agent',
    'timing',
    'decided-late',
    'approval-waits',
    'approvals-by-approver',
  ]) {
    const chart = page.getByTestId(`chart-${id}`);
    await expect(chart.locator('svg')).toBeVisible();
    await expect(chart.locator('table')).toHaveCount(1);
  }
  await expect(page.getByTestId('chart-decisions-per-day').locator('rect').first()).toBeVisible();
  await page.getByTestId('chart-overrides-per-agent').getByText('Data table').click();
  await expect(page.getByTestId('chart-overrides-per-agent').locator('tbody tr').first()).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('a replay with a 3-day review window lists tickets turning into untimely denials', async ({ page }) => {
  await signIn(page, DEMO.supervisor);
  await page.goto(`/quality/replay?from=${ninetyDaysAgo()}`);
  await page.getByLabel('Review window (days)').fill('3');
  await page.getByRole('button', { name: 'Run replay' }).click();
  await expect(page).toHaveURL(/reviewWindowDays=3/);
  const result = page.getByTestId('replay-result');
  await expect(result).toBeVisible({ timeout: 20_000 });
  await expect(result.getByRole('row', { name: /deny untimely/ }).first()).toBeVisible();
  const untimely = result.locator('tr[data-replay-ticket][data-to="deny"][data-reason="untimely"]');
  expect(await untimely.count()).toBeGreaterThan(0);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('agents are refused the quality pages', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const response = await page.goto('/quality');
  expect(response?.status()).toBe(403);
});
