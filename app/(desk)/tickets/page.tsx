import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { CLAIM_LABEL, OUTCOME_LABEL, OUTCOME_TONE, STATUS_LABEL } from '@/components/tickets/labels';
import { AREA_ROLES } from '@/lib/auth/actor';
import { requirePageActor } from '@/lib/auth/session';
import { countTicketsByStatus, listOpenTickets } from '@/lib/tickets/list';

export const metadata: Metadata = { title: 'Tickets' };

export default async function TicketsPage() {
  const { ctx } = await requirePageActor(AREA_ROLES.tickets);
  const [rows, counts] = await Promise.all([listOpenTickets(ctx), countTicketsByStatus(ctx)]);
  return (
    <>
      <PageHeader
        title="Tickets"
        description={counts.map((c) => `${STATUS_LABEL[c.status] ?? c.status}: ${c.count.toLocaleString('en')}`).join(' · ') || 'No tickets yet.'}
      />
      {rows.length === 0 ? (
        <EmptyState title="No open tickets">New tickets from the panel appear here.</EmptyState>
      ) : (
        <Table label="Open tickets">
          <thead>
            <tr>
              <Th>Ticket</Th>
              <Th>Customer</Th>
              <Th>Claim</Th>
              <Th>Order</Th>
              <Th>Suggested</Th>
              <Th>Deadline</Th>
              <Th>Assignee</Th>
              <Th>Opened</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <Tr key={t.id}>
                <Td className="font-mono text-xs">T-{t.id}</Td>
                <Td>{t.customer}</Td>
                <Td>{CLAIM_LABEL[t.claim] ?? t.claim}</Td>
                <Td className="font-mono text-xs">{t.orderNumber ?? '—'}</Td>
                <Td>{t.suggestedOutcome ? <Badge tone={OUTCOME_TONE[t.suggestedOutcome]}>{OUTCOME_LABEL[t.suggestedOutcome]}</Badge> : '—'}</Td>
                <Td>{t.eligibilityDeadline ? <Time value={t.eligibilityDeadline} /> : '—'}</Td>
                <Td>{t.assignee ?? <span className="text-slate-500">Unassigned</span>}</Td>
                <Td>
                  <Time value={t.openedAt} />
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
