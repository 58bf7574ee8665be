'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonClass } from '@/components/ui/button';

type Result = { ok: true; count: number; head: string } | { ok: false; count: number; badSeq?: number; problem: string };

/** "Verify now": runs the check of `npm run audit:verify` on the server and shows its progress. */
export function VerifyButton() {
  const router = useRouter();
  const [progress, setProgress] = useState<{ verified: number; total: number } | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  async function run() {
    setRunning(true);
    setResult(null);
    setError(null);
    setProgress({ verified: 0, total: 0 });
    try {
      const response = await fetch('/api/v1/audit/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!response.ok || !response.body) {
        const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
        throw new Error(problem?.detail ?? `The check could not start (${response.status}).`);
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const message = JSON.parse(buffer.slice(0, newline)) as { verified?: number; total?: number; result?: Result; error?: string };
          buffer = buffer.slice(newline + 1);
          if (message.result) setResult(message.result);
          else if (message.error) setError(message.error);
          else setProgress({ verified: message.verified ?? 0, total: message.total ?? 0 });
        }
      }
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
    }
  }

  const percent = progress && progress.total ? Math.min(100, Math.round((progress.verified / progress.total) * 100)) : 0;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => void run()} disabled={running}>
        {running ? 'Verifying…' : 'Verify now'}
      </button>
      {running && progress ? (
        <progress className="h-2 w-32" max={100} value={percent} aria-label="Verification progress">
          {percent}%
        </progress>
      ) : null}
      <span role="status" aria-live="polite" className="text-sm" data-testid="verify-result">
        {running && progress
          ? `${progress.verified.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')} events checked`
          : null}
        {result ? (
          result.ok ? (
            <span className="font-medium text-emerald-700">Intact: {result.count.toLocaleString('en-US')} events verified.</span>
          ) : (
            <span className="font-medium text-red-700">
              {result.badSeq ? `Broken at sequence ${result.badSeq}: ` : 'Refused: '}
              {result.problem}
            </span>
          )
        ) : null}
        {error ? <span className="text-red-700">{error}</span> : null}
      </span>
    </div>
  );
}
