import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';

export default function TicketNotFound() {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white px-6 py-10 text-center">
      <p className="text-sm font-semibold text-slate-600">404 · Not found</p>
      <h1 className="mt-2">There is no such ticket</h1>
      <p className="mt-2 text-slate-600">Check the number: ticket addresses look like /tickets/123.</p>
      <Link href="/tickets" className={`${buttonClass('secondary')} mt-6`}>
        Back to tickets
      </Link>
    </div>
  );
}
