import { expect, test } from '@playwright/test';
import { DEMO, signIn } from './helpers';

const NAV = {
  // "My proposals" carries a count while reviews of one's proposals are unseen.
  agent: ['Tickets', /^My proposals/],
  supervisor: ['Tickets', /^My proposals/, 'Approvals', 'Audit', 'Quality'],
  // Deliveries carries a count while any delivery needs an admin (the e2e fixtures make some).
  admin: ['Tickets', /^My proposals/, 'Approvals', 'Audit', 'Quality', 'Credits', /^Deliveries/, 'Admin'],
} as const;

for (const role of ['agent', 'supervisor', 'admin'] as const) {
  test(`${role} signs in and sees the navigation of that role`, async ({ page }) => {
    await signIn(page, DEMO[role]);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link')).toHaveText([...NAV[role]]);
    await expect(page.getByTestId('signed-in-user')).toContainText(role);
  });
}

test('a wrong password gets one clear message that does not say which part was wrong', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(DEMO.agent2);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Within the page, not Next's route announcer (also role="alert"), which fills in after navigation.
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('The email or password is not right. Check both and try again.');
  await expect(page).toHaveURL(/\/login/);
});

test('an empty form names what is missing without a round trip', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();
});

test('an anonymous visitor is sent to the login page', async ({ page }) => {
  await page.goto('/audit');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faudit/);
  await expect(page.getByRole('heading', { name: 'Sign in to the support desk' })).toBeVisible();
});

test('anonymous API calls get nothing', async ({ request, baseURL }) => {
  const response = await request.patch('/api/v1/staff/1', { data: { isActive: false }, headers: { origin: baseURL! } });
  expect(response.status()).toBe(401);
});

test('an agent gets the 403 page on admin screens and is refused by admin-only actions', async ({ page, baseURL }) => {
  await signIn(page, DEMO.agent);
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Your role cannot open this page' })).toBeVisible();

  const refused = await page.request.patch('/api/v1/staff/1', { data: { isActive: false }, headers: { origin: baseURL! } });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('admin role') });
});

test('a cookie-authenticated change from a foreign origin is refused', async ({ page }) => {
  await signIn(page, DEMO.admin);
  const response = await page.request.patch('/api/v1/staff/1', { data: { isActive: false }, headers: { origin: 'https://evil.example' } });
  expect(response.status()).toBe(403);
});

test('signing out ends the session, even for a copy of its cookie', async ({ page, browser }) => {
  await signIn(page, DEMO.supervisor);
  const cookies = await page.context().cookies();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/tickets');
  await expect(page).toHaveURL(/\/login/);

  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  const stolen = await replay.newPage();
  await stolen.goto('/tickets');
  await expect(stolen).toHaveURL(/\/login/);
  await replay.close();
});

test('pages carry a nonce-based Content-Security-Policy and the other security headers', async ({ page }) => {
  const response = await page.goto('/login');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
});

test('health reports the database', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
});
