'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { retryProviderJob } from '@/lib/provider/deliveries';
import type { RetryProviderJobInput } from '@/lib/validation/deliveries';

/** Sends a failed, stuck or refused delivery again now; the page (and the navigation's count) re-render. */
export async function retryProviderJobAction(input: RetryProviderJobInput) {
  const result = await runAction(input, retryProviderJob);
  if (result.ok) revalidatePath('/deliveries', 'layout');
  return result;
}
