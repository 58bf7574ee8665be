import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-sm font-semibold text-red-700">403 · Not allowed</p>
      <h1 className="mt-2 text-xl">Your role cannot open this page</h1>
      <p className="mt-2 text-slate-600">This area is for other roles. If you need it for your work, ask an admin to change your role.</p>
      <Link href="/tickets" className={`${buttonClass('secondary')} mt-6`}>
        Back to tickets
      </Link>
    </main>
  );
}
