'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormError, inputClass } from '@/components/ui/field';
import { useAction } from '@/components/ui/use-action';
import { reviewParamSetAction } from '../actions';

/** Approve or reject a proposed set; the proposer may only withdraw it. */
export function ReviewPanel({ version, isOwn }: { version: number; isOwn: boolean }) {
  const [reason, setReason] = useState('');
  const review = useAction(reviewParamSetAction, {
    onSuccess: (data) =>
      data.state === 'approved'
        ? `Approved parameters v${data.version}; the worker recomputes open tickets' suggestions when it takes effect.`
        : `Rejected parameters v${data.version}.`,
  });
  return (
    <div className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-4" aria-labelledby="review-title">
      <h2 id="review-title" className="text-sm font-semibold text-amber-950">
        {isOwn ? 'Waiting for a second admin' : 'Your review'}
      </h2>
      <p className="text-[13px] text-amber-950">
        {isOwn
          ? 'You proposed this set, so another admin approves it. You can withdraw it with a reason.'
          : 'Read the differences and the replay first. Approving puts the set in force from its effective time.'}
      </p>
      <label htmlFor="reject-reason" className="block text-xs font-medium text-slate-800">
        Reason (needed to reject)
      </label>
      <input id="reject-reason" value={reason} onChange={(e) => setReason(e.target.value)} className={`${inputClass} h-8`} />
      <div className="flex flex-wrap gap-2">
        {isOwn ? null : (
          <Button variant="primary" disabled={review.isPending} onClick={() => void review.run({ setId: version, approve: true })}>
            Approve v{version}
          </Button>
        )}
        <Button variant="danger" disabled={review.isPending} onClick={() => void review.run({ setId: version, approve: false, reason })}>
          {isOwn ? 'Withdraw' : 'Reject'}
        </Button>
      </div>
      <FormError message={review.error} />
    </div>
  );
}
