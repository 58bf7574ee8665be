import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageActor } from '@/lib/auth/session';
import { listStaff } from '@/lib/staff';
import { CreateStaffButton } from './create-staff';
import { StaffRowActions } from './staff-row-actions';

export const metadata: Metadata = { title: 'Staff accounts' };

export default async function StaffPage() {
  const { actor, ctx } = await requirePageActor('staff.manage');
  const staff = await listStaff(ctx);
  return (
    <>
      <PageHeader
        title="Staff accounts"
        description="Roles and access. A change applies on the person's next request; deactivation and a password reset end their sessions."
        actions={<CreateStaffButton />}
      />
      <Table label="Staff accounts">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Last sign-in</Th>
            <Th className="text-right">Failed sign-ins (15 min)</Th>
            <Th>Actions</Th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <Tr key={s.id} data-testid={`staff-${s.email}`}>
              <Td className="font-medium">
                {s.name}{' '}
                <a
                  href={`/audit?actor=${s.id}`}
                  className="ml-1 text-xs font-normal text-indigo-700 hover:underline"
                  aria-label={`Audit log of ${s.name}`}
                >
                  audit log
                </a>
              </Td>
              <Td>{s.email}</Td>
              <Td>{s.role}</Td>
              <Td>
                <span className="flex flex-wrap gap-1">
                  {s.isActive ? <Badge tone="success">active</Badge> : <Badge tone="neutral">deactivated</Badge>}
                  {s.isLocked ? <Badge tone="danger">locked</Badge> : null}
                  {s.mustChangePassword ? <Badge tone="warning">one-time password</Badge> : null}
                </span>
              </Td>
              <Td>{s.lastSignInAt ? <Time value={s.lastSignInAt} /> : <span className="text-slate-500">never</span>}</Td>
              <Td className="text-right tabular-nums">{s.failedAttempts}</Td>
              <Td>
                <StaffRowActions
                  userId={s.id}
                  email={s.email}
                  role={s.role}
                  isActive={s.isActive}
                  hasFailures={s.failedAttempts > 0}
                  isSelf={s.id === actor.id}
                />
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
