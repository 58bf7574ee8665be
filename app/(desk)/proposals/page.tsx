import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, Table, Td, Th, Tr } from '@/components/ui/table';
import { requirePageActor } from '@/lib/auth/session';
import { formatUtc } from '@/lib/dates';
import { listMyProposals } from '@/lib/decisions';
import { OUTCOME_LABEL } from '@/lib/labels';
import { formatMoney } from '@/lib/money';

export const metadata: Metadata = { title: 'My proposals' };
export const dynamic = 'force-dynamic';

const STATE_WORDS: Record<string, { label: string; tone: 'success' | 'warning' | 'danger' | 'neutral' }> = {
  awaiting_approval: { label: 'Waiting for a supervisor', tone: 'warning' },
  executed: { label: 'Approved', tone: 'success' },
  awaiting_panel: { label: 'Approved, cancel at the panel', tone: 'success' },
  rejected: { label: 'Rejected', tone: 'danger' },
};

export default async function ProposalsPage() {
  const { ctx } = await requirePageActor('tickets.work');
  // Reading the list marks its reviews seen: the navigation's count goes back to 0.
  const proposals = await listMyProposals(ctx);
  return (
    <>
      <PageHeader
        title="My proposals"
        description="Your decisions that went to a supervisor, newest first: what was approved, what was rejected and why. You also get a toast when one is reviewed while you have the queue or a ticket open."
      />
      {proposals.length === 0 ? (
        <EmptyState title="No proposals yet">Decisions you send for approval appear here with their review.</EmptyState>
      ) : (
        <Table label="My proposals, newest first" isCardsOnPhone>
          <thead>
            <tr>
              <Th>Ticket</Th>
              <Th>Proposed</Th>
              <Th>State</Th>
              <Th>Reviewed by</Th>
              <Th>Why</Th>
            </tr>
          </thead>
          <tbody>
            {proposals.map((p) => {
              const state = STATE_WORDS[p.state] ?? { label: p.state, tone: 'neutral' as const };
              return (
                <Tr
                  key={p.id}
                  data-testid="my-proposal"
                  data-state={p.state}
                  data-ticket-id={p.ticketId}
                  data-new={p.isNew ? '' : undefined}
                >
                  <Td>
                    <Link href={`/tickets/${p.ticketId}`} className="font-medium text-indigo-700 hover:underline">
                      T-{p.ticketId}
                    </Link>
                  </Td>
                  <Td>
                    {OUTCOME_LABEL[p.outcome]}
                    {p.amount ? ` ${formatMoney(p.amount, p.currency)}` : ''}
                    <span className="block text-xs text-slate-600">{formatUtc(p.createdAt)}</span>
                  </Td>
                  <Td>
                    <Badge tone={state.tone}>{state.label}</Badge>
                    {p.isNew ? <span className="ml-1.5 text-xs font-semibold text-indigo-700">new</span> : null}
                  </Td>
                  <Td>
                    {p.reviewedBy?.name ?? '—'}
                    {p.decidedAt && p.reviewedBy ? <span className="block text-xs text-slate-600">{formatUtc(p.decidedAt)}</span> : null}
                  </Td>
                  <Td className="max-w-md">{p.state === 'rejected' ? p.reviewReason : (p.overrideReason ?? '')}</Td>
                </Tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </>
  );
}
