import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/table';
import { requirePageActor } from '@/lib/auth/session';
import { listPendingApprovals } from '@/lib/decisions';
import { currentPolicyParams } from '@/lib/policy-params';
import { ApprovalCard } from './approval-card';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  const { actor, ctx } = await requirePageActor('decisions.review');
  const { items, total } = await listPendingApprovals(ctx);
  const { approvalThreshold } = await currentPolicyParams();
  return (
    <>
      <PageHeader
        title="Approvals"
        description={`Decisions that need a second person, oldest first: balance credits above ${approvalThreshold}, cash refunds, overrides, escalations and suspensions. Nobody approves their own proposal.`}
      />
      {items.length === 0 ? (
        <EmptyState title="Nothing waits for approval">Proposals that need a supervisor appear here.</EmptyState>
      ) : (
        <>
          <p className="mb-3 text-xs text-slate-600" data-testid="approvals-count">
            {total.toLocaleString('en')} waiting{total > items.length ? `; the oldest ${items.length.toLocaleString('en')} are shown` : ''}.
          </p>
          <ol className="space-y-4" aria-label="Decisions waiting for approval, oldest first">
            {items.map((item) => (
              <ApprovalCard
                key={item.decision.id}
                item={item}
                isOwn={item.decision.proposedBy.id === actor.id}
                threshold={approvalThreshold}
              />
            ))}
          </ol>
        </>
      )}
    </>
  );
}
