import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

/** A second admin of the demo data (lib/demo/staff.ts). */
const ADMIN2 = 'admin2@demo.test';

/** Exact cents of a decimal string such as "-12.50" (never a float). */
const cents = (amount: string) => {
  const [, sign, whole, fraction = ''] = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount)!;
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign ? -value : value;
};

/** 1250n → "12.50", -7n → "-0.07". */
const decimal = (value: bigint) => {
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};

async function balanceUsd(page: Page): Promise<bigint> {
  const value = await page.getByTestId('balance-USD').locator('[data-amount]').getAttribute('data-amount');
  return cents(value!);
}

/** Finds the test's own customer (e2e/fixtures.ts) through the search and opens their view; returns the username. */
async function openCustomer(page: Page, username: string): Promise<string> {
  await page.goto('/credits');
  await page.getByLabel('Search customers').fill(username);
  await page.getByLabel('Search customers').press('Enter');
  await expect(page).toHaveURL(new RegExp(`[?&]q=${username}`));
  await page.getByRole('table', { name: 'Customers found' }).getByRole('link', { name: username, exact: true }).click();
  await expect(page).toHaveURL(/[?&]customer=\d+/);
  await expect(page.getByRole('heading', { level: 2, name: username })).toBeVisible();
  return username;
}

test('an admin finds a customer and issues a 10.00 goodwill credit: balance and ledger update', async ({ page }) => {
  await signIn(page, DEMO.admin);
  const username = await openCustomer(page, fixtures().credits.goodwill);
  const before = await balanceUsd(page);

  const form = page.getByTestId('credit-form');
  await form.getByLabel('Amount').fill('10.00');
  await form.getByLabel('Currency').selectOption('USD');
  await form.getByLabel('Reason').selectOption('goodwill');
  await form.getByLabel('Note').fill('Goodwill for the slow refill last week (e2e).');
  await form.getByRole('button', { name: 'Issue credit' }).click();

  await expect(page.getByTestId('toast').filter({ hasText: `Credited 10.00 USD to ${username}` })).toBeVisible();
  await expect.poll(() => balanceUsd(page)).toBe(before + 1000n);
  const newest = page.getByRole('table', { name: 'Ledger, newest first' }).locator('tbody tr').first();
  await expect(newest).toContainText('Manual credit');
  await expect(newest).toContainText('+10.00 USD');
  await expect(newest).toContainText('Goodwill');
  await expect(newest).toContainText('Goodwill for the slow refill last week (e2e).');
  await expect(newest).toContainText('Adam Admin');
  // The form is ready for the next credit.
  await expect(form.getByLabel('Amount')).toHaveValue('');

  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('bad input gets a sentence naming the field, and nothing is credited', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await openCustomer(page, fixtures().credits.badInput);
  const before = await balanceUsd(page);
  const form = page.getByTestId('credit-form');
  await form.getByLabel('Amount').fill('1.234');
  await form.getByLabel('Note').fill('abc');
  await form.getByRole('button', { name: 'Issue credit' }).click();
  await expect(form.getByText('Use at most two decimal places (cents), such as 10.50.')).toBeVisible();
  await expect(form.getByText('Choose a reason: goodwill, compensation, correction or promotion.')).toBeVisible();
  await expect(form.getByText('Write a note of at least 5 characters saying why.')).toBeVisible();
  await expect(form.getByLabel('Amount')).toHaveAttribute('aria-invalid', 'true');
  expect(await balanceUsd(page)).toBe(before);
});

test('a credit reversed by mistake: the confirmation shows the resulting balance, and it can be reversed once', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await openCustomer(page, fixtures().credits.reversal);
  const before = await balanceUsd(page);
  const form = page.getByTestId('credit-form');
  await form.getByLabel('Amount').fill('4.50');
  await form.getByLabel('Reason').selectOption('correction');
  await form.getByLabel('Note').fill('Credit to be reversed (e2e).');
  await form.getByRole('button', { name: 'Issue credit' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Credited 4.50 USD' })).toBeVisible();
  await expect.poll(() => balanceUsd(page)).toBe(before + 450n);

  const row = page.getByRole('table', { name: 'Ledger, newest first' }).locator('tbody tr').first();
  await row.getByRole('button', { name: /^Reverse entry #\d+$/ }).click();
  const dialog = page.getByRole('dialog', { name: /^Reverse credit #\d+$/ });
  await expect(dialog).toBeVisible();
  // The confirmation shows the balance the reversal leaves: back to where it was.
  await expect(dialog.getByTestId('balance-after').locator('[data-amount]')).toHaveAttribute('data-amount', decimal(before));
  await dialog.getByLabel('Note').fill('Issued to the wrong account.');
  await dialog.getByRole('button', { name: 'Reverse 4.50 USD' }).click();

  await expect(page.getByTestId('toast').filter({ hasText: 'Reversed credit' })).toBeVisible();
  await expect.poll(() => balanceUsd(page)).toBe(before);
  const ledger = page.getByRole('table', { name: 'Ledger, newest first' });
  await expect(ledger.locator('tbody tr').first()).toContainText('Reversal');
  await expect(ledger.locator('tbody tr').first()).toContainText('−4.50 USD');
  await expect(ledger.locator('tbody tr').nth(1)).toContainText(/Reversed by #\d+/);
});

test('above 50.00 a second admin approves; the requester cannot', async ({ browser }) => {
  const [first, second] = await Promise.all([browser.newContext(), browser.newContext()]);
  const page = await first.newPage();
  await signIn(page, DEMO.admin);
  const username = await openCustomer(page, fixtures().credits.secondAdmin);
  const before = await balanceUsd(page);
  const form = page.getByTestId('credit-form');
  await form.getByLabel('Amount').fill('75.00');
  await expect(form.getByText(/a second admin must approve/)).toBeVisible();
  await form.getByLabel('Reason').selectOption('compensation');
  const note = `Provider outage compensation (e2e ${Date.now().toString(36)}).`;
  await form.getByLabel('Note').fill(note);
  await form.getByRole('button', { name: 'Request approval' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'waiting for a second admin' })).toBeVisible();
  expect(await balanceUsd(page)).toBe(before);

  const waiting = page.getByRole('table', { name: 'Requests waiting for a second admin' }).getByRole('row').filter({ hasText: note });
  await expect(waiting).toContainText('Your request: another admin approves.');
  await expect(waiting.getByRole('button', { name: /^Approve/ })).toHaveCount(0);

  const page2 = await second.newPage();
  await signIn(page2, ADMIN2);
  await page2.goto('/credits');
  const row = page2.getByRole('table', { name: 'Requests waiting for a second admin' }).getByRole('row').filter({ hasText: note });
  await row.getByRole('button', { name: /^Approve request #\d+$/ }).click();
  await row.getByRole('button', { name: 'Yes, approve' }).click();
  await expect(page2.getByTestId('toast').filter({ hasText: 'is executed' })).toBeVisible();

  await page.reload();
  await expect.poll(() => balanceUsd(page)).toBe(before + 7500n);
  const newest = page.getByRole('table', { name: 'Ledger, newest first' }).locator('tbody tr').first();
  await expect(newest).toContainText('+75.00 USD');
  await expect(newest).toContainText('approved by Farah Qureshi');
  await expect(page.getByRole('heading', { level: 2, name: username })).toBeVisible();
  await Promise.all([first.close(), second.close()]);
});

test('an agent gets the 403 page on /credits', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const response = await page.goto('/credits');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Your role cannot open this page' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credits' })).toHaveCount(0);
});
