'use client';

import { toast, Toaster as Sonner } from 'sonner';

/** Where toasts appear: mounted once, in the root layout. Toasts are announced politely to screen readers. */
export function Toaster() {
  return (
    <Sonner
      position="bottom-right"
      richColors
      closeButton
      duration={8000}
      containerAriaLabel="Notifications"
      toastOptions={{ className: 'text-[13px]', closeButtonAriaLabel: 'Dismiss notification' }}
    />
  );
}

/** The one way to announce what an action did: `notify.success(…)`, `notify.error(…)`. Every toast has `data-testid="toast"`. */
export const notify = {
  success: (text: string) => toast.success(text, { testId: 'toast' }),
  error: (text: string) => toast.error(text, { testId: 'toast' }),
};
