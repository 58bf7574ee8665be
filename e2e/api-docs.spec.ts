import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test('the API reference is public, lists every operation and the webhook snippets, and axe finds nothing serious', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000); // a long page for axe on a busy machine
  const doc = await request.get('/api/v1/openapi.json');
  expect(doc.status()).toBe(200);
  expect(doc.headers()['cache-control']).toContain('public');
  const json = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(json.openapi).toMatch(/^3\.1/);

  await page.goto('/docs/api');
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Panel API reference' })).toBeVisible();
  for (const path of Object.keys(json.paths))
    await expect(
      page.getByRole('heading', { level: 3, name: new RegExp(`/api/v1${path.replace(/[{}]/g, '\\$&')}`) }).first(),
    ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Verifying webhook signatures' })).toContainText('hash_hmac');
  await expect(page.getByRole('region', { name: 'Verifying webhook signatures' })).toContainText('timingSafeEqual');
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
