'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { newIdempotencyKey } from '@/components/ui/idempotency-key';
import { Button } from '@/components/ui/button';
import { REJECT_REASON_MIN, rejectFormSchema, type RejectFormValues } from '@/lib/validation/decisions';
import { approveDecisionAction, rejectDecisionAction } from './actions';

/** Approve, or reject with a reason. Disabled (with the reason why) on one's own proposal. */
export function ApprovalActions({ decisionId, ticketId, isOwn }: { decisionId: number; ticketId: number; isOwn: boolean }) {
  const router = useRouter();
  const [isRejecting, setRejecting] = useState(false);
  const [isApproving, setApproving] = useState(false);
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<RejectFormValues>({ resolver: zodResolver(rejectFormSchema), defaultValues: { reason: '' } });

  if (isOwn) {
    return <p className="text-xs text-slate-600">You proposed this decision; another supervisor or admin must approve or reject it.</p>;
  }

  const approve = async () => {
    setStatus(null);
    setApproving(true);
    try {
      const result = await approveDecisionAction({ decisionId, idempotencyKey: newIdempotencyKey() });
      if (!result.ok) {
        setStatus({ tone: 'error', text: result.message });
        return;
      }
      setStatus({ tone: 'ok', text: `Approved: decision ${decisionId} on T-${ticketId} was executed.` });
      router.refresh();
    } catch {
      setStatus({
        tone: 'error',
        text: 'The desk could not be reached. Reload the page to see whether the approval went through, then try again.',
      });
    } finally {
      setApproving(false);
    }
  };

  const reject = async (values: RejectFormValues) => {
    setStatus(null);
    let result: Awaited<ReturnType<typeof rejectDecisionAction>>;
    try {
      result = await rejectDecisionAction({ decisionId, reason: values.reason, idempotencyKey: newIdempotencyKey() });
    } catch {
      setStatus({
        tone: 'error',
        text: 'The desk could not be reached. Reload the page to see whether the rejection went through, then try again.',
      });
      return;
    }
    if (!result.ok) {
      const reasonError = result.fieldErrors?.reason?.[0];
      if (reasonError) setError('reason', { type: 'server', message: reasonError });
      setStatus({ tone: 'error', text: result.message });
      return;
    }
    setStatus({ tone: 'ok', text: `Rejected: decision ${decisionId} on T-${ticketId}. The proposer sees your reason on the ticket.` });
    router.refresh();
  };

  const busy = isApproving || isSubmitting;
  const fieldId = `reject-reason-${decisionId}`;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="primary" disabled={busy} onClick={() => void approve()}>
          {isApproving ? 'Approving…' : 'Approve'}
        </Button>
        {!isRejecting ? (
          <Button variant="danger" disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </Button>
        ) : null}
      </div>
      {isRejecting ? (
        <form onSubmit={(e) => void handleSubmit(reject)(e)} noValidate className="space-y-1.5">
          <label htmlFor={fieldId} className="block text-xs font-medium text-slate-700">
            Reason for rejecting
          </label>
          <textarea
            id={fieldId}
            rows={2}
            autoFocus
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={`${fieldId}-hint${errors.reason ? ` ${fieldId}-error` : ''}`}
            className="block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-[13px] focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none aria-invalid:border-red-500"
            {...register('reason')}
          />
          <p id={`${fieldId}-hint`} className="text-xs text-slate-600">
            At least {REJECT_REASON_MIN} characters; the proposer reads it on the ticket.
          </p>
          {errors.reason ? (
            <p id={`${fieldId}-error`} className="text-xs font-medium text-red-700">
              {errors.reason.message}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={busy}>
              {isSubmitting ? 'Rejecting…' : 'Reject decision'}
            </Button>
            <Button variant="ghost" disabled={busy} onClick={() => setRejecting(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      <p
        role="status"
        aria-live="polite"
        className={`text-xs ${status?.tone === 'error' ? 'font-medium text-red-700' : 'text-emerald-800'}`}
      >
        {status?.text}
      </p>
    </div>
  );
}
