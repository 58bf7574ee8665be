'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { setStaffActive, setStaffRole } from '@/lib/staff';

export async function setStaffActiveAction(input: unknown) {
  const result = await runAction(input, setStaffActive);
  if (result.ok) revalidatePath('/admin');
  return result;
}

export async function setStaffRoleAction(input: unknown) {
  const result = await runAction(input, setStaffRole);
  if (result.ok) revalidatePath('/admin');
  return result;
}
