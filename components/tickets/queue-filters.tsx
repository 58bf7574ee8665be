'use client';

import { usePathname, useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { CLAIM_LABEL, OUTCOME_LABEL } from '@/lib/labels';

const selectClass = 'h-8 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-800';

export interface QueueFilterValues {
  status: string;
  claim?: string;
  outcome?: string;
  assignee: string;
  method?: string;
  breaching: boolean;
  q?: string;
  sort: string;
}

/** The queue's filters. Every value lives in the URL, so views are shareable and Back works. */
export function QueueFilters({ values }: { values: QueueFilterValues }) {
  const router = useRouter();
  const pathname = usePathname();

  const apply = (form: HTMLFormElement) => {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form).entries()) if (typeof value === 'string' && value) params.set(key, value);
    router.push(`${pathname}?${params.toString()}`);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply(event.currentTarget);
  };

  return (
    <form
      role="search"
      aria-label="Filter tickets"
      onSubmit={onSubmit}
      onChange={(e) => {
        const target = e.target as unknown as HTMLInputElement | HTMLSelectElement;
        // Selects and the checkbox apply at once; the search applies on Enter.
        if (target.tagName === 'SELECT' || target.type === 'checkbox') apply(e.currentTarget);
      }}
      className="flex flex-wrap items-center gap-2"
    >
      <input type="hidden" name="status" value={values.status} />
      <label className="sr-only" htmlFor="queue-search">
        Search tickets
      </label>
      <input
        id="queue-search"
        name="q"
        type="search"
        defaultValue={values.q ?? ''}
        placeholder="T-15, #1000240, customer, email or link   /"
        className="h-8 w-full rounded-md sm:w-80 border border-slate-300 bg-white px-2.5 text-sm placeholder:text-slate-500"
        aria-keyshortcuts="/"
      />
      <label className="sr-only" htmlFor="f-claim">
        Claim
      </label>
      <select id="f-claim" name="claim" defaultValue={values.claim ?? ''} className={selectClass}>
        <option value="">Any claim</option>
        {Object.entries(CLAIM_LABEL).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="f-outcome">
        Suggested outcome
      </label>
      <select id="f-outcome" name="outcome" defaultValue={values.outcome ?? ''} className={selectClass}>
        <option value="">Any suggestion</option>
        {Object.entries(OUTCOME_LABEL).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="f-assignee">
        Assignee
      </label>
      <select id="f-assignee" name="assignee" defaultValue={values.assignee} className={selectClass}>
        <option value="anyone">Anyone’s</option>
        <option value="me">Mine</option>
        <option value="unassigned">Unassigned</option>
      </select>
      <label className="sr-only" htmlFor="f-method">
        Payment method
      </label>
      <select id="f-method" name="method" defaultValue={values.method ?? ''} className={selectClass}>
        <option value="">Any payment</option>
        <option value="crypto">Crypto</option>
        <option value="card">Card</option>
        <option value="wallet">Wallet</option>
        <option value="bank">Bank</option>
      </select>
      <label className="inline-flex h-8 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2 text-sm">
        <input type="checkbox" name="breaching" value="1" defaultChecked={values.breaching} className="accent-indigo-600" />
        Breaching soon
      </label>
      <label className="sr-only" htmlFor="f-sort">
        Sort by
      </label>
      <select id="f-sort" name="sort" defaultValue={values.sort} className={selectClass}>
        <option value="sla">Breaching soonest first</option>
        <option value="deadline">Claim window first</option>
        <option value="opened">Newest first</option>
        <option value="amount">Largest amount first</option>
      </select>
      <button type="submit" className="sr-only">
        Apply filters
      </button>
    </form>
  );
}
