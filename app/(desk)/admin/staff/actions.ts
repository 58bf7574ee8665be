'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { createStaffAccount, resetStaffPassword, setStaffActive, setStaffRole, unlockStaff } from '@/lib/staff';

async function revalidating<T>(input: unknown, call: Parameters<typeof runAction<T>>[1]) {
  const result = await runAction(input, call);
  if (result.ok) revalidatePath('/admin/staff');
  return result;
}

export const setStaffActiveAction = async (input: unknown) => revalidating(input, setStaffActive);
export const setStaffRoleAction = async (input: unknown) => revalidating(input, setStaffRole);
export const createStaffAction = async (input: unknown) => revalidating(input, (ctx, values) => createStaffAccount(ctx, values));
export const resetStaffPasswordAction = async (input: unknown) => revalidating(input, resetStaffPassword);
export const unlockStaffAction = async (input: unknown) => revalidating(input, unlockStaff);
