import type { Metadata } from 'next';
import { safeCallbackPath } from '@/lib/auth/origin';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-xs font-semibold tracking-widest text-indigo-700 uppercase">Refund Desk</p>
          <h1 className="mt-1 text-xl">Sign in to the support desk</h1>
        </div>
        {params.expired ? (
          <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
            Your session has ended: you signed out elsewhere, or an admin changed or deactivated your account. Sign in again; if you cannot,
            ask an admin.
          </p>
        ) : null}
        {params.changed ? (
          <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-900">
            Your password is changed and your other sessions have ended. Sign in with the new password.
          </p>
        ) : null}
        <LoginForm callbackUrl={safeCallbackPath(params.callbackUrl)} />
      </div>
    </main>
  );
}
