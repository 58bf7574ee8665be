import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageActor } from '@/lib/auth/session';
import { listStaff } from '@/lib/staff';
import { StaffRowActions } from './staff-row-actions';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  const { actor, ctx } = await requirePageActor('staff.manage');
  const staff = await listStaff(ctx);
  return (
    <>
      <PageHeader
        title="Staff accounts"
        description="Roles and access. Changes apply on the person's next request; deactivation ends their sessions."
      />
      <Table label="Staff accounts">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Since</Th>
            <Th>Actions</Th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <Tr key={s.id}>
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
              <Td>{s.isActive ? <Badge tone="success">active</Badge> : <Badge tone="neutral">deactivated</Badge>}</Td>
              <Td>
                <Time value={s.createdAt} />
              </Td>
              <Td>
                <StaffRowActions userId={s.id} email={s.email} role={s.role} isActive={s.isActive} isSelf={s.id === actor.id} />
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
