import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/table';
import { requirePageActor } from '@/lib/auth/session';
import { listPendingApprovals } from '@/lib/decisions';
import { currentPolicyParams, paramsOfVersion } from '@/lib/policy-params';
import { approvalThresholdFor } from '@/lib/policy';
import { ApprovalCard } from './approval-card';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  const { actor, ctx } = await requirePageActor('decisions.review');
  const { items, total } = await listPendingApprovals(ctx);
  const inForce = await currentPolicyParams();
  // Each card's threshold is its decision's: the set it was proposed under, in its currency.
  const versions = [...new Set(items.map((i) => i.decision.paramsVersion))];
  const setsByVersion = new Map(
    await Promise.all(versions.map(async (v) => [v, (await paramsOfVersion(undefined, v)) ?? inForce] as const)),
  );
  const thresholdOf = (item: (typeof items)[number]) =>
    approvalThresholdFor(setsByVersion.get(item.decision.paramsVersion) ?? inForce, item.decision.currency);
  const hasOwn = Object.keys(inForce.approvalThresholds).length > 0;
  return (
    <>
      <PageHeader
        title="Approvals"
        description={`Decisions that need a second person, oldest first: balance credits above ${inForce.approvalThreshold}${hasOwn ? ' (or their currency’s own threshold)' : ''}, cash refunds, overrides, escalations and suspensions. Nobody approves their own proposal.`}
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
                threshold={thresholdOf(item)}
              />
            ))}
          </ol>
        </>
      )}
    </>
  );
}
