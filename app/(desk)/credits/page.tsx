import { CustomerFlags } from '@/components/customers/customer-flags';
import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { attemptsLabel, deliveryBadge } from '@/components/delivery/labels';
import { Amount } from '@/components/money/amount';
import { Badge, type Tone } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageActor } from '@/lib/auth/session';
import {
  CUSTOMER_SEARCH_LIMIT,
  getCustomerLedger,
  listPendingManualCredits,
  searchCustomers,
  type CustomerLedger,
  type CustomerSummary,
  type LedgerKind,
  type LedgerRow,
  type ManualCreditRequest,
} from '@/lib/credits';
import { isAppError } from '@/lib/errors';
import { formatMoney } from '@/lib/money';
import { currentPolicyParams } from '@/lib/policy-params';
import { CREDIT_REASON_LABEL, type CreditReason } from '@/lib/validation/credits';
import { CreditForm } from './credit-form';
import { ReverseButton } from './reverse-button';
import { ReviewActions } from './review-actions';

export const metadata: Metadata = { title: 'Credits' };

const KIND: Record<LedgerKind, { label: string; tone: Tone }> = {
  manual_credit: { label: 'Manual credit', tone: 'accent' },
  decision_credit: { label: 'Ticket credit', tone: 'info' },
  reversal: { label: 'Reversal', tone: 'danger' },
};

const reasonLabel = (code: string | null) => (code ? (CREDIT_REASON_LABEL[code as CreditReason] ?? code) : '—');

const customerHref = (id: number, q?: string) =>
  `/credits?${new URLSearchParams({ ...(q ? { q } : {}), customer: String(id) }).toString()}`;

/** An expected refusal (bad id, unknown customer, bad search) as a sentence; anything else is thrown. */
async function attempt<T>(load: () => Promise<T>): Promise<{ value: T; error: null } | { value: null; error: string }> {
  try {
    return { value: await load(), error: null };
  } catch (error) {
    if (isAppError(error) && (error.code === 'invalid' || error.code === 'not_found')) return { value: null, error: error.message };
    throw error;
  }
}

function PendingList({ pending, approvalThreshold }: { pending: ManualCreditRequest[]; approvalThreshold: string }) {
  return (
    <section aria-labelledby="pending-title" className="mb-6">
      <h2 id="pending-title" className="mb-2 flex items-center gap-2">
        Waiting for a second admin
        <span className="rounded bg-slate-100 px-1.5 text-xs font-medium tabular-nums text-slate-700">{pending.length}</span>
      </h2>
      {pending.length === 0 ? (
        <p className="text-slate-600">
          Nothing is waiting. Credits and reversals above {formatMoney(approvalThreshold, null)} appear here until another admin approves or
          rejects them.
        </p>
      ) : (
        <Table label="Requests waiting for a second admin">
          <thead>
            <tr>
              <Th>Requested</Th>
              <Th>Customer</Th>
              <Th>Request</Th>
              <Th className="text-right">Amount</Th>
              <Th className="text-right">Balance → after</Th>
              <Th>Reason</Th>
              <Th>Note</Th>
              <Th>Requested by</Th>
              <Th>Review</Th>
            </tr>
          </thead>
          <tbody>
            {pending.map((r) => (
              <Tr key={r.id} data-request-id={r.id}>
                <Td>
                  <Time value={r.createdAt} />
                </Td>
                <Td>
                  <Link href={customerHref(r.customer.id)} className="font-medium text-indigo-700 hover:underline">
                    {r.customer.username}
                  </Link>
                </Td>
                <Td className="whitespace-nowrap">
                  <span className="font-mono text-xs text-slate-500">#{r.id}</span>{' '}
                  {r.isReversal ? `Reversal of #${r.reversesLedgerId}` : 'Credit'}
                </Td>
                <Td className="text-right">
                  <Amount value={r.isReversal ? `-${r.amount}` : r.amount} currency={r.currency} />
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <Amount value={r.balance} currency={null} variant="balance" className="font-normal" /> →{' '}
                  <Amount value={r.balanceAfter} currency={r.currency} variant="balance" />
                </Td>
                <Td>{reasonLabel(r.reasonCode)}</Td>
                <Td className="max-w-72 break-words whitespace-pre-line">{r.note}</Td>
                <Td className="whitespace-nowrap">{r.requestedBy.name}</Td>
                <Td>
                  <ReviewActions
                    id={r.id}
                    amount={r.amount}
                    currency={r.currency}
                    customerName={r.customer.username}
                    isReversal={r.isReversal}
                    canApprove={r.canApprove}
                  />
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

function SearchResults({ q, results, error }: { q: string; results: CustomerSummary[] | null; error: string | null }) {
  if (error) return <EmptyState title="That search does not work">{error}</EmptyState>;
  if (!results) return null;
  if (results.length === 0)
    return (
      <EmptyState title={`No customer matches “${q}”`}>Try part of the username or email, or the panel’s customer id exactly.</EmptyState>
    );
  return (
    <>
      <Table label="Customers found">
        <thead>
          <tr>
            <Th>Username</Th>
            <Th>Email</Th>
            <Th>Panel id</Th>
            <Th>Flags</Th>
          </tr>
        </thead>
        <tbody>
          {results.map((c) => (
            <Tr key={c.id}>
              <Td>
                <Link href={customerHref(c.id, q)} className="font-medium text-indigo-700 hover:underline">
                  {c.username}
                </Link>
              </Td>
              <Td>{c.email}</Td>
              <Td className="font-mono text-xs tabular-nums">{c.externalId}</Td>
              <Td>
                <CustomerFlags customer={c} />
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      {results.length >= CUSTOMER_SEARCH_LIMIT ? (
        <p className="mt-1.5 text-xs text-slate-600">
          Showing the first {CUSTOMER_SEARCH_LIMIT} matches; type more of the username or email to narrow the search.
        </p>
      ) : null}
    </>
  );
}

function Linked({ entry }: { entry: LedgerRow }) {
  const parts = [];
  if (entry.ticketId)
    parts.push(
      <Link key="t" href={`/tickets/${entry.ticketId}`} className="font-mono text-xs font-semibold text-indigo-700 hover:underline">
        T-{entry.ticketId}
      </Link>,
    );
  if (entry.decisionId)
    parts.push(
      <span key="d" className="text-xs text-slate-600">
        decision #{entry.decisionId}
      </span>,
    );
  if (entry.reversesId)
    parts.push(
      <span key="r" className="text-xs text-slate-600">
        reverses #{entry.reversesId}
      </span>,
    );
  if (entry.manualCreditId)
    parts.push(
      <span key="m" className="text-xs text-slate-500">
        request #{entry.manualCreditId}
      </span>,
    );
  return parts.length ? <span className="flex flex-col gap-0.5">{parts}</span> : <span className="text-slate-400">—</span>;
}

/** Whether the panel has been told of this movement: the outbox job's state, as on the ticket page. */
function PanelDelivery({ entry }: { entry: LedgerRow }) {
  const d = entry.delivery;
  if (!d) return <span className="text-xs text-slate-500">not sent</span>;
  const badge = deliveryBadge(d);
  return (
    <span className="inline-flex flex-col items-start gap-0.5" data-testid="entry-delivery" data-state={d.state}>
      <Badge tone={badge.tone}>{badge.label}</Badge>
      <span className="text-xs text-slate-600">
        {attemptsLabel(d.attempts)}
        {d.deliveredAt ? (
          <>
            {' · '}
            <Time value={d.deliveredAt} />
          </>
        ) : null}
      </span>
      {d.lastError && d.state !== 'delivered' ? (
        <span className="max-w-56 font-mono text-xs break-all text-red-800">{d.lastError}</span>
      ) : null}
    </span>
  );
}

function EntryState({ entry, ledger }: { entry: LedgerRow; ledger: CustomerLedger }) {
  if (entry.reversedBy) return <Badge>Reversed by #{entry.reversedBy.id}</Badge>;
  if (entry.pendingReversalId) return <Badge tone="warning">Reversal waiting (#{entry.pendingReversalId})</Badge>;
  if (!entry.canReverse || entry.balanceAfterReversal === null) return null;
  const balance = ledger.balances.find((b) => b.currency === entry.currency)?.balance ?? '0.00';
  return (
    <ReverseButton
      entryId={entry.id}
      amount={entry.amount}
      currency={entry.currency}
      balance={balance}
      balanceAfter={entry.balanceAfterReversal}
      approvalThreshold={ledger.approvalThreshold}
      customerName={ledger.customer.username}
    />
  );
}

function CustomerView({ ledger, q }: { ledger: CustomerLedger; q: string }) {
  const { customer } = ledger;
  const balances = ledger.balances.length ? ledger.balances : [{ currency: 'USD', balance: '0.00' }];
  return (
    <section aria-labelledby="customer-title" className="mt-5" data-testid="customer-view">
      <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id="customer-title" className="text-base">
          {customer.username}
        </h2>
        <span className="text-slate-600">{customer.email}</span>
        <span className="text-slate-600">
          Panel id <span className="font-mono text-xs tabular-nums text-slate-800">{customer.externalId}</span>
        </span>
        <CustomerFlags customer={customer} />
        {q ? (
          <Link href={`/credits?${new URLSearchParams({ q }).toString()}`} className="ml-auto text-sm text-indigo-700 hover:underline">
            ← Back to results for “{q}”
          </Link>
        ) : null}
      </div>

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <div>
            <h3 className="sr-only">Balance</h3>
            <dl className="flex flex-wrap gap-3" data-testid="balances">
              {balances.map((b) => (
                <div key={b.currency} className="min-w-40 rounded-lg border border-slate-200 bg-white px-4 py-2.5">
                  <dt className="text-xs font-medium text-slate-600">Balance {b.currency}</dt>
                  <dd className="mt-0.5 text-lg" data-testid={`balance-${b.currency}`}>
                    <Amount value={b.balance} currency={b.currency} variant="balance" />
                  </dd>
                </div>
              ))}
            </dl>
            <p className="mt-1.5 text-xs text-slate-600">
              The sum of the desk’s ledger for this customer: credits from tickets and admins, less reversals.
            </p>
            {ledger.pending.length ? (
              <p className="mt-1 text-xs font-medium text-amber-800">
                {ledger.pending.length === 1 ? '1 request' : `${ledger.pending.length} requests`} for this customer{' '}
                {ledger.pending.length === 1 ? 'is' : 'are'} waiting for a second admin (see above).
              </p>
            ) : null}
          </div>

          <div>
            <h3 id="ledger-title" className="mb-2 text-sm font-semibold text-slate-900">
              Ledger
            </h3>
            {ledger.entries.length === 0 ? (
              <EmptyState title="No ledger entries yet">Credits to this customer’s balance will be listed here, newest first.</EmptyState>
            ) : (
              <Table label="Ledger, newest first">
                <thead>
                  <tr>
                    <Th>When</Th>
                    <Th>Entry</Th>
                    <Th>Kind</Th>
                    <Th className="text-right">Amount</Th>
                    <Th>Reason</Th>
                    <Th>Note</Th>
                    <Th>By</Th>
                    <Th>Linked</Th>
                    <Th>Panel</Th>
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  </tr>
                </thead>
                <tbody>
                  {ledger.entries.map((e) => (
                    <Tr key={e.id} data-entry-id={e.id} data-kind={e.kind}>
                      <Td>
                        <Time value={e.createdAt} />
                      </Td>
                      <Td className="font-mono text-xs text-slate-600">#{e.id}</Td>
                      <Td>
                        <Badge tone={KIND[e.kind].tone}>{KIND[e.kind].label}</Badge>
                      </Td>
                      <Td className="text-right">
                        <Amount value={e.amount} currency={e.currency} />
                      </Td>
                      <Td>{reasonLabel(e.reasonCode)}</Td>
                      <Td className="max-w-80 break-words whitespace-pre-line">{e.note ?? <span className="text-slate-400">—</span>}</Td>
                      <Td className="whitespace-nowrap">
                        {e.createdBy.name}
                        {e.approvedBy ? <div className="text-xs text-slate-600">approved by {e.approvedBy.name}</div> : null}
                      </Td>
                      <Td>
                        <Linked entry={e} />
                      </Td>
                      <Td>
                        <PanelDelivery entry={e} />
                      </Td>
                      <Td className="text-right">
                        <EntryState entry={e} ledger={ledger} />
                      </Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            )}
            {ledger.hasMore ? (
              <p className="mt-2 text-xs text-slate-600">
                Showing the newest {ledger.entries.length} entries; the balance counts them all.
              </p>
            ) : null}
          </div>
        </div>

        <CreditForm
          customerId={customer.id}
          customerName={customer.username}
          currencies={ledger.currencies}
          approvalThreshold={ledger.approvalThreshold}
        />
      </div>
    </section>
  );
}

export default async function CreditsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx } = await requirePageActor('credits.manage');
  const params = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const q = (params.q ?? '').trim();
  const customerId = params.customer;

  const pending = await listPendingManualCredits(ctx);
  const { approvalThreshold } = await currentPolicyParams();
  const search = !customerId && q ? await attempt(() => searchCustomers(ctx, { q })) : null;
  const ledger = customerId !== undefined ? await attempt(() => getCustomerLedger(ctx, { customerId })) : null;

  return (
    <>
      <PageHeader
        title="Manual credits"
        description={`Balance credits and reversals that are not tied to a ticket. Above ${formatMoney(approvalThreshold, null)} a second admin approves before anything moves.`}
      />
      <PendingList pending={pending} approvalThreshold={approvalThreshold} />

      <section aria-labelledby="find-title">
        <h2 id="find-title" className="mb-2">
          Find a customer
        </h2>
        <Form action="/credits" role="search" aria-label="Find a customer" className="mb-3 flex flex-wrap items-center gap-2">
          <label htmlFor="customer-search" className="sr-only">
            Search customers
          </label>
          <input
            id="customer-search"
            name="q"
            type="search"
            defaultValue={q}
            key={q}
            placeholder="Username, email or panel customer id"
            className="h-8 w-96 max-w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm placeholder:text-slate-500 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
          />
          <button type="submit" className={buttonClass('secondary')}>
            Search
          </button>
        </Form>
        {search ? <SearchResults q={q} results={search.value} error={search.error} /> : null}
      </section>

      {ledger?.error ? (
        <div className="mt-5">
          <EmptyState title="This customer cannot be shown">{ledger.error}</EmptyState>
        </div>
      ) : null}
      {ledger?.value ? <CustomerView ledger={ledger.value} q={q} /> : null}
    </>
  );
}
