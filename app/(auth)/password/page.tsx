import type { Metadata } from 'next';
import Link from 'next/link';
import { SignOutButton } from '@/components/desk/sign-out-button';
import { requireSignedIn } from '@/lib/auth/session';
import { PasswordForm } from './password-form';

export const metadata: Metadata = { title: 'Change password' };

export default async function PasswordPage() {
  const { actor } = await requireSignedIn();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-xs font-semibold tracking-widest text-indigo-700 uppercase">Refund Desk</p>
          <h1 className="mt-1 text-xl">{actor.mustChangePassword ? 'Set your own password' : 'Change your password'}</h1>
          <p className="mt-1 text-slate-600">{actor.email}</p>
        </div>
        {actor.mustChangePassword ? (
          <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
            You signed in with a one-time password. Choose your own before you go on.
          </p>
        ) : null}
        <PasswordForm />
        <div className="mt-4 flex items-center justify-between text-sm">
          {actor.mustChangePassword ? (
            <span />
          ) : (
            <Link href="/tickets" className="text-indigo-700 hover:underline">
              Back to the desk
            </Link>
          )}
          <div className="rounded-md bg-slate-900">
            <SignOutButton />
          </div>
        </div>
      </div>
    </main>
  );
}
