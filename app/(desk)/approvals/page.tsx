import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/table';
import { AREA_ROLES } from '@/lib/auth/actor';
import { requirePageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  await requirePageActor(AREA_ROLES.approvals);
  return (
    <>
      <PageHeader title="Approvals" description="Decisions that need a second person: credits above the threshold, cash refunds, overrides, escalations." />
      <EmptyState title="Nothing waits for approval">Proposals that need a supervisor appear here.</EmptyState>
    </>
  );
}
