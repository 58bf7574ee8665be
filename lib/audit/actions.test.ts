import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_GROUPS, AUDIT_ACTIONS, actionGroupOf, isActionGroup, isAuditAction } from './actions';

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

  it('each belong to exactly one action group, and every group entry is a real action', () => {
    const groupsOf = new Map<string, string[]>();
    for (const [group, { actions }] of Object.entries(ACTION_GROUPS)) {
      expect(actions.length, group).toBeGreaterThan(0);
      for (const action of actions as readonly string[]) groupsOf.set(action, [...(groupsOf.get(action) ?? []), group]);
    }
    // No entry names an action that is not recorded (a typo, a renamed action).
    expect([...groupsOf.keys()].filter((a) => !isAuditAction(a))).toEqual([]);
    // Every action in one group, none in two.
    expect(
      AUDIT_ACTIONS.filter((a) => (groupsOf.get(a) ?? []).length !== 1).map((a) => `${a}: ${(groupsOf.get(a) ?? []).join(', ') || 'none'}`),
    ).toEqual([]);
  });

  it("file the panel's imports under intake and the groups the issue names under their URL names", () => {
    expect(actionGroupOf('ticket.imported')).toBe('intake');
    expect(actionGroupOf('ticket.customer_replied')).toBe('intake');
    expect(actionGroupOf('customer.imported')).toBe('intake');
    expect(actionGroupOf('ticket.claimed')).toBe('tickets');
    expect(actionGroupOf('customer.suspended')).toBe('decisions');
    expect(actionGroupOf('policy_params.approved')).toBe('policy');
    expect(actionGroupOf('seed.completed')).toBe('system');
    for (const name of ['signin', 'decisions', 'credits', 'staff', 'api_keys', 'intake', 'evidence'])
      expect(isActionGroup(name), name).toBe(true);
    // Only the groups' own keys, never an inherited property.
    expect(isActionGroup('constructor')).toBe(false);
    expect(isActionGroup('decision.proposed')).toBe(false);
  });
});
