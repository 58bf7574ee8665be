'use client';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/field';
import { useAction } from '@/components/ui/use-action';
import type { SetStaffRoleInput } from '@/lib/validation/staff';
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
  const setRole = useAction(setStaffRoleAction, { onSuccess: (staff) => `${email} is now ${roleWord(staff.role)}.` });
  const setActive = useAction(setStaffActiveAction, {
    onSuccess: (staff) => (staff.isActive ? `Reactivated ${email}.` : `Deactivated ${email}; their sessions have ended.`),
  });
  const pending = setRole.isPending || setActive.isPending;

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
        onChange={(e) => {
          setActive.clearError();
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
        onClick={() => {
          setRole.clearError();
          void setActive.run({ userId, isActive: !isActive });
        }}
      >
        {isActive ? 'Deactivate' : 'Reactivate'}
      </Button>
      <FormError message={setRole.error ?? setActive.error} />
    </div>
  );
}

const roleWord = (role: string) => (role === 'admin' ? 'an admin' : `a ${role}`);
