import type { ReactNode } from 'react';
import { AdminTabs } from '@/components/admin/admin-tabs';
import { requirePageActor } from '@/lib/auth/session';

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requirePageActor('staff.manage');
  return (
    <>
      <AdminTabs
        items={[
          { href: '/admin/staff', label: 'Staff' },
          { href: '/admin/policy', label: 'Policy parameters' },
          { href: '/admin/api-keys', label: 'API keys' },
        ]}
      />
      {children}
    </>
  );
}
