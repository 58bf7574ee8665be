import { Badge } from '@/components/ui/badge';
import { compareLinks, showWhitespace, sideOf, type DiffSegment } from '@/lib/tickets/link-diff';

function Segments({ segments }: { segments: DiffSegment[] }) {
  return (
    <code className="block rounded border border-slate-200 bg-slate-50 px-2 py-1 font-mono text-[12.5px] leading-5 break-all whitespace-pre-wrap text-slate-900">
      {segments.map((s, i) => {
        const text = showWhitespace(s.text);
        if (s.kind === 'removed')
          return (
            <del
              key={i}
              className="rounded-sm bg-red-100 text-red-900 no-underline decoration-red-700 ring-1 ring-red-300"
              title="Only in the order's link"
            >
              {text}
            </del>
          );
        if (s.kind === 'added')
          return (
            <ins
              key={i}
              className="rounded-sm bg-amber-100 text-amber-950 no-underline ring-1 ring-amber-400"
              title="Only in the ticket's link"
            >
              {text}
            </ins>
          );
        return <span key={i}>{text}</span>;
      })}
    </code>
  );
}

const isWebLink = (link: string) => {
  try {
    const url = new URL(link.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * The link submitted with the order, exactly (white space shown as ␠ and the like), and where the
 * link the customer wrote in the ticket differs from it, character by character.
 */
export function LinkDiffView({ orderLink, ticketLink }: { orderLink: string; ticketLink: string | null }) {
  const comparison = ticketLink === null ? null : compareLinks(orderLink, ticketLink);
  return (
    <div className="space-y-1.5" data-testid="link-comparison">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-xs font-medium text-slate-600">Link as submitted with the order</span>
        {isWebLink(orderLink) ? (
          <a
            href={orderLink.trim()}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className="text-xs font-medium text-indigo-700 hover:underline"
          >
            Open target ↗<span className="sr-only"> (opens the customer&apos;s link in a new tab)</span>
          </a>
        ) : null}
      </div>
      <Segments segments={comparison ? sideOf(comparison.segments, 'order') : [{ text: orderLink, kind: 'same' }]} />
      {comparison === null ? (
        <p className="text-xs text-slate-600">The customer gave no link in the ticket.</p>
      ) : comparison.isIdentical ? (
        <p className="flex items-center gap-1.5 text-xs text-slate-600">
          <Badge tone="success">Same link in the ticket</Badge> character for character.
        </p>
      ) : (
        <>
          <span className="block pt-1 text-xs font-medium text-slate-600">Link the customer gave in the ticket</span>
          <Segments segments={sideOf(comparison.segments, 'ticket')} />
          <p className="flex flex-wrap items-center gap-1.5 text-xs text-slate-700">
            {comparison.isSameAfterTrim ? (
              <>
                <Badge tone="warning">Differs only in white space around it</Badge>
                <span>The policy trims it, so this counts as the same link.</span>
              </>
            ) : (
              <>
                <Badge tone="danger">Links differ</Badge>
                <span>
                  <del className="rounded-sm bg-red-100 px-0.5 text-red-900 no-underline ring-1 ring-red-300">Red</del> is only in the
                  order, <ins className="rounded-sm bg-amber-100 px-0.5 text-amber-950 no-underline ring-1 ring-amber-400">amber</ins> only
                  in the ticket. The policy treats the ticket&apos;s link as missing.
                </span>
              </>
            )}
          </p>
        </>
      )}
    </div>
  );
}
