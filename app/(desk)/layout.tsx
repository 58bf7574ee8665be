import type { ReactNode } from 'react';
import { DeskNav, type NavItem } from '@/components/desk/nav';
import { SignOutButton } from '@/components/desk/sign-out-button';
import { AREA_ROLES } from '@/lib/auth/actor';
import { requirePageActor } from '@/lib/auth/session';

const AREAS: (NavItem & { area: keyof typeof AREA_ROLES })[] = [
  { href: '/tickets', label: 'Tickets', area: 'tickets' },
  { href: '/approvals', label: 'Approvals', area: 'approvals' },
  { href: '/audit', label: 'Audit', area: 'audit' },
  { href: '/credits', label: 'Credits', area: 'credits' },
  { href: '/admin', label: 'Admin', area: 'admin' },
];

export default async function DeskLayout({ children }: { children: ReactNode }) {
  const { actor } = await requirePageActor(AREA_ROLES.tickets);
  const items = AREAS.filter((a) => (AREA_ROLES[a.area] as readonly string[]).includes(actor.role)).map(({ href, label }) => ({
    href,
    label,
  }));
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="bg-slate-900">
        <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-6 px-4">
          <span className="text-sm font-semibold tracking-wide text-white">Refund Desk</span>
          <DeskNav items={items} />
          <div className="ml-auto flex items-center gap-3">
            <span className="text-sm text-slate-300" data-testid="signed-in-user">
              {actor.name} <span className="text-slate-400">· {actor.role}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-[1600px] px-4 py-5">
        {children}
      </main>
    </div>
  );
}
