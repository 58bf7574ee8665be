import type { ReactNode } from 'react';
import Link from 'next/link';
import { DeskNav, type NavItem } from '@/components/desk/nav';
import { SignOutButton } from '@/components/desk/sign-out-button';
import { roleHas, type Permission } from '@/lib/auth/permissions';
import { requirePageActor } from '@/lib/auth/session';
import { countUnseenReviews } from '@/lib/decisions';
import { countTroubledDeliveries } from '@/lib/provider/deliveries';
import { getDeliveryProblem } from '@/lib/provider/heartbeat';

const AREAS: (NavItem & { permission: Permission })[] = [
  { href: '/tickets', label: 'Tickets', permission: 'tickets.read' },
  { href: '/proposals', label: 'My proposals', permission: 'tickets.work' },
  { href: '/approvals', label: 'Approvals', permission: 'decisions.review' },
  { href: '/audit', label: 'Audit', permission: 'audit.read' },
  { href: '/quality', label: 'Quality', permission: 'quality.read' },
  { href: '/credits', label: 'Credits', permission: 'credits.manage' },
  { href: '/deliveries', label: 'Deliveries', permission: 'deliveries.manage' },
  { href: '/admin', label: 'Admin', permission: 'staff.manage' },
];

export default async function DeskLayout({ children }: { children: ReactNode }) {
  const { actor, ctx } = await requirePageActor('tickets.work');
  // Deliveries that need an admin, counted in the navigation while any exist.
  // …and the reviews of this person's proposals they have not looked at yet.
  // …and whether money can reach the panel at all (a worker running, with a panel URL): a banner on every page when not.
  const [troubled, reviewed, deliveryProblem] = await Promise.all([
    roleHas(actor.role, 'deliveries.manage') ? countTroubledDeliveries(ctx) : 0,
    countUnseenReviews(ctx),
    getDeliveryProblem(ctx),
  ]);
  const items = AREAS.filter((a) => roleHas(actor.role, a.permission)).map(({ href, label }) =>
    href === '/deliveries'
      ? { href, label, count: troubled, countLabel: 'need attention' }
      : href === '/proposals'
        ? { href, label, count: reviewed, countLabel: 'reviewed since you last looked', isClearedOnVisit: true }
        : { href, label },
  );
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="bg-slate-900">
        <div className="mx-auto flex min-h-12 max-w-[1600px] flex-wrap items-center gap-x-6 gap-y-1 px-4 py-1.5">
          <span className="text-sm font-semibold tracking-wide text-white">Refund Desk</span>
          <DeskNav items={items} />
          <div className="ml-auto flex items-center gap-3">
            <span className="text-sm text-slate-300 max-sm:sr-only" data-testid="signed-in-user">
              {actor.name} <span className="text-slate-400">· {actor.role}</span>
            </span>
            <Link
              href="/password"
              className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-300 hover:bg-slate-800 hover:text-white"
            >
              Change password
            </Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      {deliveryProblem ? (
        <div
          role="alert"
          className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900"
          data-testid="delivery-banner"
          data-problem={deliveryProblem.kind}
        >
          <p className="mx-auto max-w-[1600px]">
            <strong className="font-semibold">Nothing reaches the panel.</strong> {deliveryProblem.sentence}
          </p>
        </div>
      ) : null}
      <main id="main" className="mx-auto max-w-[1600px] px-4 py-5">
        {children}
      </main>
    </div>
  );
}
