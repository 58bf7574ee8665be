import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUSES, CLAUSE_IDS, getClause } from './clauses';
import { REASON_CLAUSES } from './reasons';
import { POLICY_DIR } from './test-support';

/** The clauses of the project's copy of refund-policy.md: `## Title [`id`]` and the text under it. */
function documentClauses(): Map<string, { title: string; text: string }> {
  const md = readFileSync(path.join(POLICY_DIR, 'refund-policy.md'), 'utf8');
  const headings = [...md.matchAll(/^## (.+?) \[`([a-z-]+)`\]\n/gm)];
  const clauses = new Map<string, { title: string; text: string }>();
  headings.forEach((h, i) => {
    const start = (h.index ?? 0) + h[0].length;
    const end = headings[i + 1]?.index ?? md.length;
    clauses.set(h[2] ?? '', { title: h[1] ?? '', text: md.slice(start, end).trim() });
  });
  return clauses;
}

describe('clause table', () => {
  const doc = documentClauses();

  it('holds exactly the clauses of refund-policy.md, in its order', () => {
    expect(doc.size).toBeGreaterThan(10);
    expect(CLAUSE_IDS).toEqual([...doc.keys()]);
  });

  it.each(CLAUSE_IDS)('%s: title and full text match the document', (id) => {
    expect(CLAUSES[id]).toEqual(doc.get(id));
    expect(getClause(id)).toEqual({ id, ...doc.get(id) });
  });

  it('every clause any reason may cite is in the document', () => {
    for (const [code, clauses] of Object.entries(REASON_CLAUSES)) {
      for (const clause of clauses) expect(doc.has(clause), `${code} cites ${clause}`).toBe(true);
    }
  });

  it('the document is policy version 2026-06-10', () => {
    const md = readFileSync(path.join(POLICY_DIR, 'refund-policy.md'), 'utf8');
    expect(md).toContain('This is the policy version `2026-06-10`.');
  });
});
