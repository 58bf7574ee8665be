import { formatMoney } from '@/lib/money';

/**
 * An amount of money with tabular figures. `movement` (default): signed, green for a credit ("+"),
 * red for a reversal or debit ("−"). `balance`: unsigned when positive, red only below zero.
 */
export function Amount({
  value,
  currency,
  variant = 'movement',
  className = '',
}: {
  /** A decimal string, e.g. "10.00" or "-10.00"; never a float. */
  value: string;
  currency?: string | null;
  variant?: 'movement' | 'balance';
  className?: string;
}) {
  const isNegative = value.trim().startsWith('-') && !/^-0*(?:\.0*)?$/.test(value.trim());
  const isZero = /^-?0*(?:\.0*)?$/.test(value.trim());
  const text = formatMoney(isZero ? '0.00' : value, currency);
  const tone = isNegative ? 'text-red-700' : variant === 'movement' && !isZero ? 'text-emerald-700' : 'text-slate-900';
  return (
    <span className={`font-medium whitespace-nowrap tabular-nums ${tone} ${className}`} data-amount={value}>
      {variant === 'movement' && !isNegative && !isZero ? '+' : ''}
      {text}
    </span>
  );
}
