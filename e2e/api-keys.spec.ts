import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

// Sign-ins (argon2) and a production server shared with other specs: more than 30 s on a busy machine.
test.describe.configure({ timeout: 90_000 });

async function expectNoSeriousAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('an admin creates an API key in the browser, copies it, the panel uses it, and after revoking it the next request gets 401', async ({
  page,
  context,
  request,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, DEMO.admin);
  await page.goto('/admin/staff');
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page).toHaveURL(/\/admin\/api-keys$/);
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  const name = `e2e-panel-${Date.now().toString(36)}`;
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an API key' });
  // Nothing chosen: the form says what is missing, on its fields.
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.locator('#key-name-error')).toBeVisible();
  await expect(dialog.locator('#key-scopes-error')).toHaveText('Choose at least one scope.');
  await dialog.getByLabel('Name').fill(name);
  // Each scope shows what it grants; chosen from the keyboard.
  const scope = dialog.getByRole('checkbox', { name: /order-events/ });
  await expect(dialog.getByText('Lets the key post order events.')).toBeVisible();
  await scope.focus();
  await page.keyboard.press('Space');
  await expect(scope).toBeChecked();
  await expectNoSeriousAxeViolations(page);
  await dialog.getByRole('button', { name: 'Create key' }).click();

  const shown = page.getByRole('dialog', { name: `API key “${name}”` });
  await expect(shown).toContainText('it will not be shown again');
  const key = await shown.getByTestId('new-api-key').inputValue();
  expect(key).toMatch(/^rdk_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole('button', { name: 'Copy key' }).click();
  await expect(shown.getByRole('status')).toHaveText('Copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();

  const row = page.getByTestId(`api-key-${name}`);
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).toContainText('order-events');
  await expect(row).toContainText('active');
  // The plaintext is nowhere on the page any more.
  expect(await page.content()).not.toContain(key);

  // The panel posts an order event with the copied key.
  const { orderNumber } = fixtures().apiKeys;
  const post = () =>
    request.post(`/api/v1/orders/${encodeURIComponent(orderNumber)}/events`, {
      headers: { authorization: `Bearer ${key}` },
      data: { kind: 'drop_noticed', at: new Date().toISOString(), data: { current: 10 } },
    });
  const accepted = await post();
  expect(accepted.status(), await accepted.text()).toBe(201);

  await page.reload();
  await expect(row.getByRole('cell').nth(5)).toHaveText('1');
  await expect(row.getByRole('cell').nth(4)).not.toHaveText('never');

  // Revoke, confirmed; "Keep the key" is the safe default.
  await row.getByRole('button', { name: `Revoke the API key ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke the API key “${name}”?` });
  await expect(confirm.getByRole('button', { name: 'Keep the key' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await row.getByRole('button', { name: `Revoke the API key ${name}` }).click();
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `Revoked the API key "${name}"` })).toBeVisible();
  await expect(row).toContainText('revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);

  const refused = await post();
  expect(refused.status()).toBe(401);
  expect(refused.headers()['content-type']).toContain('application/problem+json');
  expect(await refused.json()).toMatchObject({ code: 'unauthenticated', detail: 'The API key is unknown or has been revoked.' });
});

test('an agent gets the 403 page on /admin/api-keys', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const response = await page.goto('/admin/api-keys');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('button', { name: 'Create API key' })).toHaveCount(0);
});
