import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

test('an admin sees failed and refused deliveries with their last error, the configuration warning and the count; Retry sends one again', async ({
  page,
}, testInfo) => {
  const { failed, refused } = fixtures().deliveries;
  await signIn(page, DEMO.admin);
  await page.goto('/tickets');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: /^Deliveries \(\d+ need attention\)$/ })).toBeVisible();
  const countBefore = Number(await nav.getByTestId('nav-count-deliveries').textContent());
  expect(countBefore).toBeGreaterThanOrEqual(2);

  await nav.getByRole('link', { name: /^Deliveries/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deliveries' })).toBeVisible();
  const warning = page.getByTestId('configuration-problem');
  await expect(warning).toContainText('The panel refuses our webhooks');
  await expect(warning).toContainText('HTTP 401: {"error":"invalid signature: bad signature"}');

  const table = page.getByRole('table', { name: 'Deliveries that need attention' });
  const failedRow = table.locator(`tr[data-job-id="${failed}"]`);
  await expect(failedRow).toContainText('Failed');
  await expect(failedRow).toContainText('HTTP 503: panel is down for maintenance');
  await expect(failedRow).toContainText('12');
  await expect(table.locator(`tr[data-job-id="${refused}"]`)).toContainText('Refused');

  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath('deliveries.png'), fullPage: true });

  // Keyboard: focus the failed row's Retry and press Enter.
  await failedRow.getByRole('button', { name: `Retry delivery #${failed}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast').filter({ hasText: `Delivery #${failed}` })).toBeVisible();
  // Pending again, then delivered by the worker: off the page, and the count goes down.
  await expect(failedRow).toHaveCount(0);
  await expect.poll(async () => Number(await nav.getByTestId('nav-count-deliveries').textContent())).toBe(countBefore - 1);
});

test('agents and supervisors have no deliveries page or count', async ({ page }) => {
  await signIn(page, DEMO.supervisor);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Deliveries/ })).toHaveCount(0);
  const response = await page.goto('/deliveries');
  expect(response?.status()).toBe(403);
});
