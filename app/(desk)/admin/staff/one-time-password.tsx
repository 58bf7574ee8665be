'use client';

import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

/** Shows a one-time password once, in a dialog, with what to do with it. */
export function OneTimePasswordDialog({
  shown,
  onClose,
}: {
  shown: { email: string; password: string; why: string } | null;
  onClose: () => void;
}) {
  return (
    <Dialog open={shown !== null} onClose={onClose} labelledBy="otp-title" className="w-[28rem]">
      {shown ? (
        <div className="space-y-3 p-5">
          <h2 id="otp-title" className="text-base font-semibold">
            One-time password for {shown.email}
          </h2>
          <p className="text-slate-700">{shown.why}</p>
          <p
            className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-center font-mono text-lg tracking-wide"
            data-testid="one-time-password"
          >
            {shown.password}
          </p>
          <p className="text-xs text-slate-600">
            It is shown only now and never stored: give it to the person over a trusted channel. They must set their own password when they
            sign in with it.
          </p>
          <form method="dialog" className="flex justify-end">
            <Button type="submit" variant="primary" autoFocus>
              Done
            </Button>
          </form>
        </div>
      ) : null}
    </Dialog>
  );
}
