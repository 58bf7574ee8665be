'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useAction, useActionForm } from '@/components/ui/use-action';
import { REJECT_REASON_MIN, rejectFormSchema } from '@/lib/validation/decisions';
import { approveDecisionAction, rejectDecisionAction } from './actions';

/**
 * Approve, or reject with a reason; each says what it is about to do and asks once more. Disabled
 * (with the reason why) on one's own proposal. `what`: the decision in words ("a balance credit of
 * 12.00 USD"), when the card gives it.
 */
export function ApprovalActions({
  decisionId,
  ticketId,
  isOwn,
  what,
}: {
  decisionId: number;
  ticketId: number;
  isOwn: boolean;
  what?: string;
}) {
  const router = useRouter();
  const [isRejecting, setRejecting] = useState(false);
  const [isConfirmingApproval, setConfirmingApproval] = useState(false);
  const approve = useAction((_: void, idempotencyKey) => approveDecisionAction({ decisionId, idempotencyKey }), {
    unreachable: 'The desk could not be reached. Reload the page to see whether the approval went through, then try again.',
    onSuccess: () => {
      router.refresh();
      return `Approved: decision ${decisionId} on T-${ticketId} was executed.`;
    },
  });
  const reject = useActionForm({
    schema: rejectFormSchema,
    defaultValues: { reason: '' },
    submit: (values, idempotencyKey) => rejectDecisionAction({ decisionId, reason: values.reason, idempotencyKey }),
    unreachable: 'The desk could not be reached. Reload the page to see whether the rejection went through, then try again.',
    onSuccess: () => {
      router.refresh();
      return `Rejected: decision ${decisionId} on T-${ticketId}. The proposer sees your reason on the ticket.`;
    },
  });

  if (isOwn) {
    return <p className="text-xs text-slate-600">You proposed this decision; another supervisor or admin must approve or reject it.</p>;
  }

  const busy = approve.isPending || reject.isPending;
  return (
    <div className="space-y-2">
      {isConfirmingApproval ? (
        <div role="group" aria-label="Confirm approval" className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2">
          <p className="text-sm text-slate-800">
            Approve {what ?? `decision ${decisionId}`} on T-{ticketId}? It is executed at once: money moves or the panel is told, and the
            customer gets the reply.
          </p>
          <div className="flex gap-2">
            <Button
              variant="primary"
              disabled={busy}
              onClick={() => {
                reject.clearFormError();
                void approve.run().then(() => setConfirmingApproval(false));
              }}
            >
              {approve.isPending ? 'Approving…' : 'Approve and execute'}
            </Button>
            <Button variant="ghost" disabled={busy} onClick={() => setConfirmingApproval(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="primary"
            disabled={busy}
            onClick={() => {
              setRejecting(false);
              setConfirmingApproval(true);
            }}
          >
            Approve…
          </Button>
          {!isRejecting ? (
            <Button variant="danger" disabled={busy} onClick={() => setRejecting(true)}>
              Reject…
            </Button>
          ) : null}
        </div>
      )}
      {isRejecting ? (
        <form onSubmit={reject.onSubmit} noValidate className="space-y-1.5">
          <Field
            id={`reject-reason-${decisionId}`}
            label="Reason for rejecting"
            hint={`Rejecting ${what ?? `decision ${decisionId}`} on T-${ticketId} executes nothing and puts the ticket back. At least ${REJECT_REASON_MIN} characters; the proposer reads it on the ticket.`}
            error={reject.form.formState.errors.reason?.message}
          >
            {(control) => (
              <textarea rows={2} autoFocus className={`${inputClass} py-1.5`} {...control} {...reject.form.register('reason')} />
            )}
          </Field>
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={busy}>
              {reject.isPending ? 'Rejecting…' : 'Reject decision'}
            </Button>
            <Button variant="ghost" disabled={busy} onClick={() => setRejecting(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      <FormError message={approve.error ?? reject.formError} />
    </div>
  );
}
