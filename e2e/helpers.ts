import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'demo-password';
export const DEMO = {
  agent: 'agent@demo.test',
  agent2: 'agent2@demo.test',
  supervisor: 'supervisor@demo.test',
  admin: 'admin@demo.test',
} as const;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/tickets/);
}

/**
 * On a ticket page: when someone else has claimed the ticket, takes it over (a claim protects a
 * ticket; acting on it needs the take-over, and the claimant is told).
 */
export async function takeOverIfClaimed(page: Page) {
  const takeOver = page.getByTestId('take-over');
  if ((await takeOver.count()) === 0) return;
  await takeOver.getByRole('button', { name: 'Take over' }).click();
  await takeOver.getByRole('button', { name: /^Take over from / }).click();
  await expect(page.getByTestId('toast').filter({ hasText: /^You took over T-/ })).toBeVisible();
  await expect(page.getByTestId('take-over')).toHaveCount(0);
}
