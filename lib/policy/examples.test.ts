import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPolicy, decisionSchema } from './index';
import { POLICY_DIR, REPO_ROOT, loadExamples } from './test-support';

const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'policy');
const sharedExists = existsSync(SHARED);

describe('project copies of the shared policy files', () => {
  it.skipIf(!sharedExists)(
    'refund-policy.md and every example are byte-identical to ../shared/policy (skipped: ../shared/policy is not there)',
    () => {
      const pairs: [string, string][] = [[path.join(SHARED, 'refund-policy.md'), path.join(POLICY_DIR, 'refund-policy.md')]];
      for (const file of readdirSync(path.join(SHARED, 'examples')).filter((f) => f.endsWith('.json'))) {
        pairs.push([path.join(SHARED, 'examples', file), path.join(POLICY_DIR, 'examples', file)]);
      }
      for (const [original, copy] of pairs) {
        expect(existsSync(copy), `${path.relative(REPO_ROOT, copy)} is missing (copy it from ${original})`).toBe(true);
        expect(readFileSync(copy).equals(readFileSync(original)), `${path.relative(REPO_ROOT, copy)} differs from ${original}`).toBe(true);
      }
    },
  );
});

describe('examples (compared as CONTRACT.md says)', () => {
  const examples = loadExamples();

  it('there are examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
  });

  it.each(examples.map((e) => [e.file, e] as const))('%s', (_file, example) => {
    const decision = checkPolicy(example.input);
    const want = example.expect;
    expect(decisionSchema.parse(decision)).toEqual(decision);
    expect(decision.outcome).toBe(want.outcome);
    expect(decision.accountAction).toBe(want.accountAction);
    expect(decision.requiresApproval).toBe(want.requiresApproval);
    if (want.amount !== undefined) expect(decision.amount).toBe(want.amount);
    if (want.currency !== undefined) expect(decision.currency).toBe(want.currency);
    const codes = decision.reasons.map((r) => r.code);
    expect(codes[0]).toBe(want.codes[0]);
    for (const code of want.codes) expect(codes).toContain(code);
    expect([...decision.missingInfo].sort()).toEqual([...(want.missingInfo ?? [])].sort());
    expect([...decision.toVerify].sort()).toEqual([...(want.toVerify ?? [])].sort());
  });
});
