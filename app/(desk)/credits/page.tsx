import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/table';
import { AREA_ROLES } from '@/lib/auth/actor';
import { requirePageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Credits' };

export default async function CreditsPage() {
  await requirePageActor(AREA_ROLES.credits);
  return (
    <>
      <PageHeader title="Manual credits" description="Balance credits and reversals that are not tied to a ticket. Admins only." />
      <EmptyState title="No manual credits issued">Manual credits and reversals will be listed here.</EmptyState>
    </>
  );
}
