import type { ReactNode } from 'react';

/** The look of every text input, select and textarea of a form. */
export const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-2.5 text-[13px] focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none aria-invalid:border-red-500 disabled:bg-slate-50';

/** What a control inside a Field spreads onto itself: its id and the accessible links to the hint and the error. */
export interface FieldControl {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** The ids a field's hint and error use, and the control's attributes; for layouts that place them apart. */
export function fieldControl(id: string, { hasHint = false, error }: { hasHint?: boolean; error?: string }): FieldControl {
  const describedBy = [hasHint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined };
}

/** A field's error as a sentence, linked to its control by `${id}-error`. */
export function FieldError({ id, message, className = 'mt-1' }: { id: string; message?: string; className?: string }) {
  return message ? (
    <p id={`${id}-error`} className={`text-xs font-medium text-red-700 ${className}`}>
      {message}
    </p>
  ) : null;
}

/**
 * A labelled form field: label, the control (a render function that spreads `FieldControl`), an
 * optional hint and the error next to it. `react-hook-form`'s `register()` goes on the control.
 */
export function Field({
  id,
  label,
  hint,
  hintClassName = 'text-slate-600',
  error,
  className,
  isLabelHidden = false,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  hintClassName?: string;
  error?: string;
  className?: string;
  isLabelHidden?: boolean;
  children: (control: FieldControl) => ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className={isLabelHidden ? 'sr-only' : 'mb-1 block text-xs font-medium text-slate-700'}>
        {label}
      </label>
      {children(fieldControl(id, { hasHint: hint != null, error }))}
      {hint != null ? (
        <p id={`${id}-hint`} className={`mt-1 text-xs ${hintClassName}`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={id} message={error} />
    </div>
  );
}

const FORM_ERROR = {
  /** Beside a button or at the foot of a small form. */
  inline: 'text-xs font-medium text-red-700',
  /** At the top of a form. */
  box: 'rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800',
};

/** The error of a whole form (or of a button's action) as a sentence, announced at once. */
export function FormError({
  message,
  variant = 'inline',
  className = '',
}: {
  message: string | null;
  variant?: keyof typeof FORM_ERROR;
  className?: string;
}) {
  return message ? (
    <p role="alert" className={`${FORM_ERROR[variant]} ${className}`}>
      {message}
    </p>
  ) : null;
}
