'use client';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/field';
import { useAction } from '@/components/ui/use-action';
import { retryProviderJobAction } from './actions';

/** "Retry" on a troubled delivery: the worker sends it at once (a failed one gets a fresh run of attempts). */
export function RetryButton({ jobId, what }: { jobId: number; what: string }) {
  const retry = useAction(() => retryProviderJobAction({ jobId }), {
    onSuccess: () => `Delivery #${jobId} (${what}) goes out again now.`,
  });
  return (
    <div className="flex flex-col items-start gap-1">
      <Button size="sm" onClick={() => void retry.run(undefined)} disabled={retry.isPending} aria-label={`Retry delivery #${jobId}`}>
        {retry.isPending ? 'Retrying…' : 'Retry'}
      </Button>
      <FormError message={retry.error} />
    </div>
  );
}
