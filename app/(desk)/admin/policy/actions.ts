'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { proposeParamSet, reviewParamSet } from '@/lib/policy-params/sets';

export async function proposeParamSetAction(input: unknown) {
  const result = await runAction(input, proposeParamSet);
  if (result.ok) revalidatePath('/admin/policy');
  return result;
}

export async function reviewParamSetAction(input: unknown) {
  const result = await runAction(input, reviewParamSet);
  if (result.ok) revalidatePath('/admin/policy', 'layout');
  return result;
}
