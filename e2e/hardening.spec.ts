import { expect, test } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, signIn } from './helpers';

test('after signing in, a callback to another site lands on the desk instead', async ({ page }) => {
  for (const callback of ['/%5Cevil.example/', '/%09/evil.example', '//evil.example/']) {
    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${callback}`);
    await page.getByLabel('Email').fill(DEMO.agent);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/tickets/);
  }
});

test('a server action without an Origin or from another site is refused with 403 and changes nothing', async ({ page, baseURL }) => {
  await signIn(page, DEMO.agent);
  for (const origin of [undefined, 'https://evil.example']) {
    const response = await page.request.post('/tickets', {
      headers: { 'next-action': '00'.repeat(21), 'content-type': 'text/plain;charset=UTF-8', ...(origin ? { origin } : {}) },
      data: '[]',
    });
    expect(response.status(), String(origin)).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('Origin') });
  }
  // The app's own origin gets past the check (Next then says the action does not exist).
  const own = await page.request.post('/tickets', {
    headers: { 'next-action': '00'.repeat(21), 'content-type': 'text/plain;charset=UTF-8', origin: baseURL! },
    data: '[]',
  });
  expect(own.status()).not.toBe(403);
});

test('malformed requests get 4xx, never 500', async ({ request, baseURL }) => {
  expect((await request.fetch('/tickets', { method: 'TRACE' })).status()).toBe(405);
  expect((await request.get('/api/%E0%A4%A')).status()).toBe(400);
  const huge = await request.post('/tickets', {
    headers: { 'next-action': '00'.repeat(21), origin: baseURL!, 'content-type': 'text/plain;charset=UTF-8' },
    data: 'x'.repeat(1_100_000),
  });
  expect(huge.status()).toBe(413);
});

test('a signed-out session is no longer a session, for next-auth’s own endpoint too', async ({ page }) => {
  await signIn(page, DEMO.agent2);
  const cookies = await page.context().cookies();
  expect((await (await page.request.get('/api/auth/session')).json()).user).toMatchObject({ email: DEMO.agent2 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.context().addCookies(cookies);
  expect(await (await page.request.get('/api/auth/session')).json()).not.toHaveProperty('user');
});

test('staff API answers are private and never cached', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const response = await page.request.get('/api/v1/tickets/1/decisions');
  expect(response.headers()['cache-control']).toBe('private, no-store');
});
