'use server';

import { runAction } from '@/lib/actions';
import { changeOwnPassword } from '@/lib/staff';

export async function changePasswordAction(input: unknown) {
  return runAction(input, changeOwnPassword);
}
