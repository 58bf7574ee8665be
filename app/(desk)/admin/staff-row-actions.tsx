'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { setStaffActiveAction, setStaffRoleAction } from './actions';

const ROLES = ['agent', 'supervisor', 'admin'] as const;

export function StaffRowActions({
  userId,
  email,
  role,
  isActive,
  isSelf,
}: {
  userId: number;
  email: string;
  role: string;
  isActive: boolean;
  isSelf: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  const run = (action: () => Promise<{ ok: boolean; message?: string }>) =>
    startTransition(async () => {
      setError(null);
      const result = await action();
      if (!result.ok) setError(result.message ?? 'That did not work.');
    });

  if (isSelf) return <span className="text-xs text-slate-500">You</span>;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {email}
      </label>
      <select
        id={`role-${userId}`}
        defaultValue={role}
        disabled={pending}
        onChange={(e) => run(() => setStaffRoleAction({ userId, role: e.target.value }))}
        className="h-7 rounded-md border border-slate-300 bg-white px-1.5 text-xs"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <Button
        size="sm"
        variant={isActive ? 'danger' : 'secondary'}
        disabled={pending}
        onClick={() => run(() => setStaffActiveAction({ userId, isActive: !isActive }))}
      >
        {isActive ? 'Deactivate' : 'Reactivate'}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </div>
  );
}
