import type { ReactNode } from 'react';
import { DeskNav, type NavItem } from '@/components/desk/nav';
import { SignOutButton } from '@/components/desk/sign-out-button';
import { roleHas, type Permission } from '@/lib/auth/permissions';
import { requirePageActor } from '@/lib/auth/session';

const AREAS: (NavItem & { permission: Permission })[] = [
  { href: '/tickets', label: 'Tickets', permission: 'tickets.read' },
  { href: '/approvals', label: 'Approvals', permission: 'decisions.review' },
  { href: '/audit', label: 'Audit', permission: 'audit.read' },
  { href: '/quality', label: 'Quality', permission: 'quality.read' },
  { href: '/credits', label: 'Credits', permission: 'credits.manage' },
  { href: '/admin', label: 'Admin', permission: 'staff.manage' },
];

export default async function DeskLayout({ children }: { children: ReactNode }) {
  const { actor } = await requirePageActor('tickets.work');
  const items = AREAS.filter((a) => roleHas(actor.role, a.permission)).map(({ href, label }) => ({
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
