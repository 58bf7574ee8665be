import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

/**
 * The classes of a button (or a link that looks like one): its shape, size and variant are the
 * `.btn`, `.btn-sm`/`.btn-md` and `.btn-<variant>` classes of app/globals.css, so a page with many
 * buttons repeats three short names, not the utilities behind them.
 */
export function buttonClass(variant: Variant = 'secondary', size: 'sm' | 'md' = 'md') {
  return `btn btn-${size} btn-${variant}`;
}

export function Button({
  variant = 'secondary',
  size = 'md',
  className = '',
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm' | 'md' }) {
  return (
    <button type={type} className={className ? `${buttonClass(variant, size)} ${className}` : buttonClass(variant, size)} {...props} />
  );
}
