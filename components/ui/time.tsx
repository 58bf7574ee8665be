import { formatUtcMinutes } from '@/lib/dates';

/** A UTC timestamp, readable and machine-readable. */
export function Time({ value }: { value: Date }) {
  return (
    <time dateTime={value.toISOString()} className="tabular-nums whitespace-nowrap" title={value.toISOString()}>
      {formatUtcMinutes(value)}
    </time>
  );
}
