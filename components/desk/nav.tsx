'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem {
  href: string;
  label: string;
  /** Things waiting there (e.g. deliveries that need an admin); shown as a badge when above zero. */
  count?: number;
  /** What the count counts, for screen readers ("need attention"). */
  countLabel?: string;
  /** Opening the page clears the count (My proposals): not shown while that page is open. */
  isClearedOnVisit?: boolean;
}

export function DeskNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
      {items.map((item) => {
        const isActive = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={isActive ? 'page' : undefined}
            className={`rounded-md px-2.5 py-1.5 text-sm font-medium ${
              isActive ? 'bg-slate-800 text-white' : 'text-slate-300 hover:bg-slate-800 hover:text-white'
            }`}
          >
            {item.label}
            {item.count && !(isActive && item.isClearedOnVisit) ? (
              <>
                <span
                  aria-hidden="true"
                  className="ml-1.5 rounded-full bg-red-600 px-1.5 py-0.5 text-[11px] font-semibold tabular-nums text-white"
                  data-testid={`nav-count-${item.href.slice(1)}`}
                >
                  {item.count}
                </span>
                <span className="sr-only">
                  {' '}
                  ({item.count} {item.countLabel ?? 'waiting'})
                </span>
              </>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
