import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, isAuditAction } from './actions';

const ROOTS = ['lib', 'app', 'scripts', 'bench'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every `action: '…'` (and each branch of `action: x ? '…' : '…'`) written in the code. */
function actionsWritten(): { file: string; action: string }[] {
  const found: { file: string; action: string }[] = [];
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\baction:\s*([^,\n}]+)/g)) {
      for (const literal of match[1]!.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) found.push({ file, action: literal[1]! });
    }
  }
  return found;
}

describe('audit actions', () => {
  it('are in one tense and unique', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const action of AUDIT_ACTIONS) expect(action, action).toMatch(/^[a-z_]+\.[a-z_]*(ed|sent|reset|_in|_out|_over)$/);
  });

  it('covers every action the code records', () => {
    const written = actionsWritten();
    expect(written.length).toBeGreaterThan(20);
    expect(written.filter((w) => !isAuditAction(w.action))).toEqual([]);
  });
});
