'use client';

import type { CSSProperties } from 'react';
import { toast, Toaster as Sonner } from 'sonner';

/** The desk's colours (Tailwind's emerald and red) instead of sonner's, whose success text is too faint (below 4.5:1). */
const COLOURS = {
  '--success-bg': '#ecfdf5',
  '--success-border': '#a7f3d0',
  '--success-text': '#065f46',
  '--error-bg': '#fef2f2',
  '--error-border': '#fecaca',
  '--error-text': '#991b1b',
} as CSSProperties;

/** Where toasts appear: mounted once, in the root layout. Toasts are announced politely to screen readers. */
export function Toaster() {
  return (
    <Sonner
      position="bottom-right"
      richColors
      closeButton
      duration={8000}
      containerAriaLabel="Notifications"
      style={COLOURS}
      toastOptions={{ className: 'text-[13px]', closeButtonAriaLabel: 'Dismiss notification' }}
    />
  );
}

/** The one way to announce what an action did: `notify.success(…)`, `notify.error(…)`. Every toast has `data-testid="toast"`. */
export const notify = {
  success: (text: string) => toast.success(text, { testId: 'toast' }),
  error: (text: string) => toast.error(text, { testId: 'toast' }),
};
