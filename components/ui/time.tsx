const FORMAT = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** A UTC timestamp, readable and machine-readable. */
export function Time({ value }: { value: Date }) {
  return (
    <time dateTime={value.toISOString()} className="tabular-nums whitespace-nowrap" title={value.toISOString()}>
      {FORMAT.format(value)} UTC
    </time>
  );
}
