import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge, type Tone } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageActor } from '@/lib/auth/session';
import { listTroubledDeliveries, STUCK_AFTER_MS, TROUBLED_LIST_LIMIT, type DeliveryTrouble } from '@/lib/provider/deliveries';
import { RetryButton } from './retry-button';

export const metadata: Metadata = { title: 'Deliveries' };

const TROUBLE: Record<DeliveryTrouble, { label: string; tone: Tone; meaning: string }> = {
  refused: { label: 'Refused', tone: 'danger', meaning: 'the panel refused the webhook itself; retried every 15 minutes' },
  failed: { label: 'Failed', tone: 'danger', meaning: 'gave up after its last attempt' },
  stuck: { label: 'Stuck', tone: 'warning', meaning: 'due but not sent: is a worker running?' },
};

const KIND_LABEL: Record<string, string> = {
  credit_granted: 'Credit granted',
  reprocess: 'Reprocess',
  refill: 'Refill',
  cancel: 'Cancel',
  account_suspended: 'Account suspended',
  customer_reply: 'Customer reply',
};

export default async function DeliveriesPage() {
  const { ctx } = await requirePageActor('deliveries.manage');
  const { jobs, refusals, isTruncated } = await listTroubledDeliveries(ctx);
  return (
    <>
      <PageHeader
        title="Deliveries"
        description={`Calls to the panel that need an admin: failed for good, refused by the panel, or not sent ${STUCK_AFTER_MS / 60_000} minutes after they were due.`}
      />
      {refusals.length > 0 ? (
        <section
          role="alert"
          aria-labelledby="refusal-title"
          className="mb-4 rounded-lg bg-red-50 px-4 py-3 text-[13px] text-red-900 ring-1 ring-red-200"
          data-testid="configuration-problem"
        >
          <h2 id="refusal-title" className="text-sm font-semibold">
            The panel refuses our webhooks: a configuration problem
          </h2>
          <p className="mt-1">
            It answered with a client error (not a timeout or an outage), so retrying alone will not help. Check{' '}
            <code className="font-mono">PANEL_WEBHOOK_SECRET</code> against the panel’s copy, the worker’s clock, and{' '}
            <code className="font-mono">PANEL_WEBHOOK_URL</code>. The jobs are retried every 15 minutes until it is fixed; Retry sends one
            at once.
          </p>
          <ul className="mt-2 space-y-0.5">
            {refusals.map((r) => (
              <li key={r.answer}>
                The panel answered <q className="font-mono text-xs">{r.answer}</q> to {r.jobs} {r.jobs === 1 ? 'delivery' : 'deliveries'}.
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {jobs.length === 0 ? (
        <EmptyState title="Every delivery is on its way">
          No call to the panel has failed, been refused or got stuck. Each ticket’s page shows its own deliveries.
        </EmptyState>
      ) : (
        <>
          <Table label="Deliveries that need attention">
            <thead>
              <tr>
                <Th>Delivery</Th>
                <Th>State</Th>
                <Th>For</Th>
                <Th>Created</Th>
                <Th className="text-right">Attempts</Th>
                <Th>Last attempt</Th>
                <Th>Last error</Th>
                <Th>Retry</Th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => {
                const trouble = TROUBLE[job.trouble];
                const what = KIND_LABEL[job.kind] ?? job.kind;
                return (
                  <Tr key={job.id} data-job-id={job.id}>
                    <Td className="whitespace-nowrap">
                      <span className="font-mono text-xs text-slate-500">#{job.id}</span> {what}
                      <div className="font-mono text-[11px] text-slate-500">{job.eventId}</div>
                    </Td>
                    <Td>
                      <Badge tone={trouble.tone}>{trouble.label}</Badge>
                      <div className="mt-0.5 max-w-48 text-xs text-slate-600">
                        {trouble.meaning}
                        {job.nextAttemptAt && job.trouble === 'refused' ? (
                          <>
                            ; next <Time value={job.nextAttemptAt} />
                          </>
                        ) : null}
                      </div>
                    </Td>
                    <Td className="whitespace-nowrap">
                      {job.ticketId ? (
                        <Link href={`/tickets/${job.ticketId}`} className="font-mono text-xs font-semibold text-indigo-700 hover:underline">
                          T-{job.ticketId}
                        </Link>
                      ) : (
                        <span className="text-xs">Manual credit</span>
                      )}
                      {job.customerExternalId ? <div className="text-xs text-slate-600">customer {job.customerExternalId}</div> : null}
                    </Td>
                    <Td>
                      <Time value={job.createdAt} />
                    </Td>
                    <Td className="text-right tabular-nums">{job.attempts}</Td>
                    <Td>{job.lastAttemptAt ? <Time value={job.lastAttemptAt} /> : <span className="text-slate-600">never</span>}</Td>
                    <Td className="max-w-96 break-words" data-testid="last-error">
                      {job.lastError ?? <span className="text-slate-600">—</span>}
                    </Td>
                    <Td>
                      <RetryButton jobId={job.id} what={what} />
                    </Td>
                  </Tr>
                );
              })}
            </tbody>
          </Table>
          {isTruncated ? (
            <p className="mt-1.5 text-xs text-slate-600">Showing the newest {TROUBLED_LIST_LIMIT}; retry or fix these to see the rest.</p>
          ) : null}
        </>
      )}
    </>
  );
}
