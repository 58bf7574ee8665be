'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { issueApiKey, revokeApiKey } from '@/lib/api-keys';

async function revalidating<T>(input: unknown, call: Parameters<typeof runAction<T>>[1]) {
  const result = await runAction(input, call);
  if (result.ok) revalidatePath('/admin/api-keys');
  return result;
}

export const createApiKeyAction = async (input: unknown) => revalidating(input, issueApiKey);
export const revokeApiKeyAction = async (input: unknown) => revalidating(input, revokeApiKey);
