import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_PARAMS } from '@/lib/policy';
import { bootstrapPolicyParams, currentPolicyParams } from './index';

describe('policy parameters', () => {
  it('are today the defaults of policy 2026-06-10, wherever they are read', async () => {
    expect(await currentPolicyParams()).toBe(DEFAULT_POLICY_PARAMS);
    expect(bootstrapPolicyParams()).toBe(DEFAULT_POLICY_PARAMS);
    expect(DEFAULT_POLICY_PARAMS).toMatchObject({ version: '2026-06-10', approvalThreshold: '50.00' });
  });
});
