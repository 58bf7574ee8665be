import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-sm font-semibold text-slate-500">404 · Not found</p>
      <h1 className="mt-2 text-xl">There is nothing at this address</h1>
      <p className="mt-2 text-slate-600">The page or record does not exist, or it was moved.</p>
      <Link href="/tickets" className={`${buttonClass('secondary')} mt-6`}>
        Back to tickets
      </Link>
    </main>
  );
}
