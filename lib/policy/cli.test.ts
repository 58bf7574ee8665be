/** `scripts/policy-check.ts`, spawned with tsx as `npm run policy:check` does. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPolicy } from './index';
import { REPO_ROOT, input, loadExamples } from './test-support';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'policy-check.ts');

function run(stdin: string, args: string[] = []) {
  const r = spawnSync(TSX, [SCRIPT, ...args], {
    cwd: REPO_ROOT,
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('policy:check command', () => {
  const examples = loadExamples();

  it('prints the decision of one case as JSON, exit 0', () => {
    const example = examples[1];
    const r = run(JSON.stringify(example?.input));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(checkPolicy(example?.input));
  });

  it('bad JSON: a message on stderr, nothing on stdout, exit 2', () => {
    const r = run('{"now": ');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^input: not valid JSON/);
  });

  it('empty input: exit 2', () => {
    const r = run('  \n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^input: empty/);
  });

  it('a bad field: stderr names the field, exit 2', () => {
    const r = run(JSON.stringify(input({ order: { quantity: 0 } })));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('order.quantity: must be an integer ≥ 1');
  });

  it('--jsonl: one decision a line in order, a bad line answered with an error, blank lines skipped, exit 0', () => {
    const good = examples.slice(0, 4).map((e) => JSON.stringify(e.input));
    const lines = [
      good[0],
      '',
      good[1],
      '{not json',
      '   ',
      JSON.stringify(input({ ticket: { bogus: 1 } })),
      good[2],
      '\r',
      `${good[3]}\r`,
    ];
    const r = run(lines.join('\n'), ['--jsonl']); // no final newline
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(6);
    const parsed = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toEqual(checkPolicy(examples[0]?.input));
    expect(parsed[1]).toEqual(checkPolicy(examples[1]?.input));
    expect(parsed[2]).toEqual({ error: expect.stringMatching(/^input: not valid JSON/) });
    expect(parsed[3]).toEqual({ error: 'ticket.bogus: unknown field' });
    expect(parsed[4]).toEqual(checkPolicy(examples[2]?.input));
    expect(parsed[5]).toEqual(checkPolicy(examples[3]?.input));
  });

  it('--jsonl streams many lines', () => {
    const line = JSON.stringify(examples[0]?.input);
    const r = run(`${Array.from({ length: 5000 }, () => line).join('\n')}\n`, ['--jsonl']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(5000);
  });

  it('unknown arguments: usage on stderr, exit 2', () => {
    const r = run('{}', ['--yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: policy-check/);
  });
});
