import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';

/** On phones, `isCardsOnPhone` shows each row as a card (header hidden, cells wrapping) instead of a wide table. */
const CARDS_ON_PHONE =
  'max-md:block max-md:[&_thead]:hidden max-md:[&_tbody]:block max-md:[&_tr]:flex max-md:[&_tr]:flex-wrap max-md:[&_tr]:items-baseline max-md:[&_tr]:gap-x-3 max-md:[&_tr]:gap-y-0.5 max-md:[&_tr]:border-b max-md:[&_tr]:border-slate-200 max-md:[&_tr]:px-3 max-md:[&_tr]:py-2 max-md:[&_td]:border-0 max-md:[&_td]:p-0 max-md:[&_td]:max-w-full';

export function Table({
  children,
  label,
  isCardsOnPhone = false,
  className = '',
}: {
  children: ReactNode;
  label: string;
  isCardsOnPhone?: boolean;
  className?: string;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table
        className={`w-full border-collapse text-left text-[13px] ${isCardsOnPhone ? CARDS_ON_PHONE : ''} ${className}`}
        aria-label={label}
      >
        {children}
      </table>
    </div>
  );
}

export function Th({ className = '', ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={`border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs font-medium whitespace-nowrap text-slate-600 ${className}`}
      {...props}
    />
  );
}

export function Td({ className = '', ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={`border-b border-slate-100 px-3 py-1.5 align-top ${className}`} {...props} />;
}

export function Tr({ className = '', ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={`hover:bg-slate-50 ${className}`} {...props} />;
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <p className="font-medium text-slate-800">{title}</p>
      {children ? <div className="mt-1 text-slate-600">{children}</div> : null}
    </div>
  );
}
