'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/field';
import { useAction } from '@/components/ui/use-action';
import type { SetStaffRoleInput } from '@/lib/validation/staff';
import { resetStaffPasswordAction, setStaffActiveAction, setStaffRoleAction, unlockStaffAction } from './actions';
import { OneTimePasswordDialog } from './one-time-password';

const ROLES = ['agent', 'supervisor', 'admin'] as const;

export function StaffRowActions({
  userId,
  email,
  role,
  isActive,
  hasFailures,
  isSelf,
}: {
  userId: number;
  email: string;
  role: string;
  isActive: boolean;
  hasFailures: boolean;
  isSelf: boolean;
}) {
  const [shown, setShown] = useState<{ email: string; password: string; why: string } | null>(null);
  const setRole = useAction(setStaffRoleAction, { onSuccess: (staff) => `${email} is now ${roleWord(staff.role)}.` });
  const setActive = useAction(setStaffActiveAction, {
    onSuccess: (staff) => (staff.isActive ? `Reactivated ${email}.` : `Deactivated ${email}; their sessions have ended.`),
  });
  const reset = useAction(resetStaffPasswordAction, {
    onSuccess: (data) => {
      setShown({ email, password: data.oneTimePassword, why: 'Their sessions have ended. They sign in next with this password:' });
      return `Reset the password of ${email}.`;
    },
  });
  const unlock = useAction(unlockStaffAction, { onSuccess: () => `Unlocked ${email}: their failed sign-ins no longer count.` });
  const actions = [setRole, setActive, reset, unlock];
  const pending = actions.some((a) => a.isPending);
  const clear = () => actions.forEach((a) => a.clearError());

  if (isSelf) return <span className="text-xs text-slate-600">You (change your password from the top bar)</span>;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {email}
      </label>
      <select
        id={`role-${userId}`}
        defaultValue={role}
        disabled={pending}
        onChange={(e) => {
          clear();
          void setRole.run({ userId, role: e.target.value as SetStaffRoleInput['role'] });
        }}
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
        aria-label={`${isActive ? 'Deactivate' : 'Reactivate'} ${email}`}
        onClick={() => {
          clear();
          void setActive.run({ userId, isActive: !isActive });
        }}
      >
        {isActive ? 'Deactivate' : 'Reactivate'}
      </Button>
      <Button
        size="sm"
        disabled={pending}
        aria-label={`Reset the password of ${email}`}
        onClick={() => {
          clear();
          void reset.run({ userId });
        }}
      >
        Reset password
      </Button>
      {hasFailures ? (
        <Button
          size="sm"
          disabled={pending}
          aria-label={`Unlock ${email}`}
          onClick={() => {
            clear();
            void unlock.run({ userId });
          }}
        >
          Unlock
        </Button>
      ) : null}
      <FormError message={actions.find((a) => a.error)?.error ?? null} />
      <OneTimePasswordDialog shown={shown} onClose={() => setShown(null)} />
    </div>
  );
}

const roleWord = (role: string) => (role === 'admin' ? 'an admin' : `a ${role}`);
