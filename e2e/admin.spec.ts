import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, signIn } from './helpers';

// Several sign-ins, argon2 hashes and a 30-day replay each: more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 90_000 });

async function signInAt(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function expectNoAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('an admin creates an agent, who must set a new password first; deactivated, the agent’s next click lands on the sign-in page', async ({
  page,
  browser,
}) => {
  await signIn(page, DEMO.admin);
  await page.goto('/admin/staff');
  await expect(page.getByRole('heading', { name: 'Staff accounts' })).toBeVisible();
  await expectNoAxeViolations(page);

  const email = `e2e-agent-${Date.now().toString(36)}@test.example`;
  await page.getByRole('button', { name: 'Create account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a staff account' });
  await dialog.getByLabel('Name').fill('Erin Eetwo');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Role').selectOption('agent');
  await dialog.getByRole('button', { name: 'Create account' }).click();
  const otp = (await page.getByTestId('one-time-password').textContent())!.trim();
  expect(otp).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId(`staff-${email}`)).toContainText('one-time password');

  // The agent, in a browser of their own.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signInAt(agent, email, otp);
  await expect(agent).toHaveURL(/\/password$/);
  await expect(agent.getByRole('heading', { name: 'Set your own password' })).toBeVisible();
  await agent.goto('/tickets');
  await expect(agent).toHaveURL(/\/password$/);

  await agent.getByLabel('Current password').fill(otp);
  await agent.getByLabel('New password', { exact: true }).fill('qwerty123456');
  await agent.getByLabel('New password again').fill('qwerty123456');
  await agent.getByRole('button', { name: 'Set new password' }).click();
  await expect(agent.locator('#newPassword-error')).toHaveText(
    'That password is on a list of common and breached passwords that attackers try first; choose another.',
  );
  await agent.getByLabel('New password', { exact: true }).fill('violet tram orbit lantern');
  await agent.getByLabel('New password again').fill('violet tram orbit lantern');
  await agent.getByRole('button', { name: 'Set new password' }).click();
  await expect(agent).toHaveURL(/\/login\?changed=1/);
  await signInAt(agent, email, 'violet tram orbit lantern');
  await expect(agent).toHaveURL(/\/tickets/);

  // The admin deactivates the agent while the agent's page is open.
  await page.reload();
  await page.getByRole('button', { name: `Deactivate ${email}` }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `Deactivated ${email}` })).toBeVisible();

  await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
  await expect(agent).toHaveURL(/\/login\?expired=1/);
  await expect(agent.getByRole('status')).toContainText('an admin changed or deactivated your account');
  await agentContext.close();
});

test('a second admin approves a parameter set after reading its replay; the proposer cannot', async ({ page, browser }) => {
  await signIn(page, DEMO.admin);
  await page.goto('/admin/policy');
  await expect(page.getByRole('heading', { name: 'Policy parameters' })).toBeVisible();
  await expectNoAxeViolations(page);

  const form = page.getByRole('form', { name: 'Propose a new set' });
  await form.getByLabel('Name').fill('E2E longer review window');
  await form.getByLabel('Effective from (UTC)').fill(new Date(Date.now() - 3_600_000).toISOString().slice(0, 16));
  await form.getByLabel('Review window (days)').fill('8');
  await form.getByRole('button', { name: 'Propose for approval' }).click();
  await expect(page).toHaveURL(/\/admin\/policy\/\d+$/);
  const url = page.url();
  await expect(page.getByRole('heading', { name: 'Waiting for a second admin' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Approve/ })).toHaveCount(0);

  const secondContext = await browser.newContext();
  const second = await secondContext.newPage();
  await signIn(second, 'admin2@demo.test', DEMO_PASSWORD);
  await second.goto(url);
  const replay = second.getByTestId('replay');
  await expect(replay).toContainText(/Of \d+ tickets opened in the 30 days/);
  await expect(second.getByRole('row', { name: /Review window/ })).toContainText('changed');
  await expectNoAxeViolations(second);
  await second.getByRole('button', { name: /^Approve v\d+$/ }).click();
  await expect(second.getByTestId('toast').filter({ hasText: /Approved parameters v\d+/ })).toBeVisible();
  await expect(second.getByText('in force', { exact: true })).toBeVisible();
  // The worker (not the approval) recomputes open tickets' suggestions; the page follows its progress.
  await expect(second.getByTestId('recompute-progress')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(second.getByTestId('recompute-progress')).toContainText(
    /The stored suggestions of \d+ open tickets were recomputed under this set/,
  );
  await secondContext.close();

  await page.goto('/admin/policy');
  await expect(page.getByRole('row', { name: /E2E longer review window/ })).toContainText('in force');
});
