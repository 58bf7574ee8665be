/** The demo staff accounts: always there after a seed, whatever the ticket count. */
import { inArray, max } from 'drizzle-orm';
import type { Tx } from '@/db';
import { staffUsers, type StaffRole } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import type { StaffIds } from './rows';

export interface DemoStaff {
  email: string;
  name: string;
  role: StaffRole;
  isActive: boolean;
}

export const DEMO_STAFF: readonly DemoStaff[] = [
  { email: 'agent@demo.test', name: 'Ana Agent', role: 'agent', isActive: true },
  { email: 'agent2@demo.test', name: 'Ben Agent', role: 'agent', isActive: true },
  { email: 'supervisor@demo.test', name: 'Sofia Supervisor', role: 'supervisor', isActive: true },
  { email: 'admin@demo.test', name: 'Adam Admin', role: 'admin', isActive: true },
  { email: 'carlos@demo.test', name: 'Carlos Mendes', role: 'agent', isActive: true },
  { email: 'supervisor2@demo.test', name: 'Sam Okafor', role: 'supervisor', isActive: true },
  { email: 'admin2@demo.test', name: 'Farah Qureshi', role: 'admin', isActive: true },
  { email: 'former@demo.test', name: 'Felix Former', role: 'agent', isActive: false },
];

/** The password of every demo account. */
export const demoPassword = () => process.env.DEMO_PASSWORD ?? 'demo-password';

/**
 * Creates the demo accounts that do not exist yet (an existing account, found by email, is left
 * exactly as it is) and returns the ids by role, and how many were created. New accounts date from
 * `since`, sessions included (a sign-in right after the seed must not predate sessions_valid_after).
 */
export async function ensureDemoStaff(tx: Tx, since: Date, password = demoPassword()): Promise<{ ids: StaffIds; created: number }> {
  const emails = DEMO_STAFF.map((s) => s.email);
  const existing = new Set(
    (await tx.select({ email: staffUsers.email }).from(staffUsers).where(inArray(staffUsers.email, emails))).map((r) => r.email),
  );
  const missing = DEMO_STAFF.filter((s) => !existing.has(s.email));
  if (missing.length > 0) {
    // One argon2 hash (64 MiB, ~100 ms) serves every demo account: they share the password anyway.
    const passwordHash = await hashPassword(password);
    // Explicit ids after the highest one: the same accounts get the same ids on the same database
    // (an identity would skip numbers after a rolled-back run). The seed moves the sequence on.
    const [top] = await tx.select({ id: max(staffUsers.id) }).from(staffUsers);
    const first = (top?.id ?? 0) + 1;
    await tx
      .insert(staffUsers)
      .values(missing.map((s, i) => ({ ...s, id: first + i, passwordHash, createdAt: since, sessionsValidAfter: since })))
      .onConflictDoNothing();
  }
  const rows = await tx
    .select({ id: staffUsers.id, email: staffUsers.email, role: staffUsers.role, isActive: staffUsers.isActive })
    .from(staffUsers)
    .where(inArray(staffUsers.email, emails));
  const byEmail = new Map(rows.map((r) => [r.email, r]));
  const ids: StaffIds = { agents: [], supervisors: [], admins: [], former: null };
  // In DEMO_STAFF order, so the same accounts get the same roles in the data every time.
  for (const s of DEMO_STAFF) {
    const row = byEmail.get(s.email);
    if (!row) continue;
    if (!row.isActive) {
      if (row.role === 'agent') ids.former = row.id;
      continue;
    }
    if (row.role === 'agent') ids.agents.push(row.id);
    else if (row.role === 'supervisor') ids.supervisors.push(row.id);
    else ids.admins.push(row.id);
  }
  return { ids, created: missing.length };
}
