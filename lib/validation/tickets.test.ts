import { describe, expect, it } from 'vitest';
import { CLAIMS, FINDING_NAMES } from '@/lib/policy';
import {
  addTicketMessageSchema,
  findingsFormSchema,
  findingsReadFor,
  findingsToForm,
  fromChoice,
  messageFormSchema,
  saveFindingsSchema,
  toChoice,
} from './tickets';

const UNKNOWN = Object.fromEntries(FINDING_NAMES.map((n) => [n, null]));

describe('findings schemas', () => {
  it('maps yes / no / unknown to true / false / null and back', () => {
    expect([true, false, null, undefined].map(toChoice)).toEqual(['yes', 'no', 'unknown', 'unknown']);
    expect((['yes', 'no', 'unknown'] as const).map(fromChoice)).toEqual([true, false, null]);
    expect(findingsToForm({ targetPublic: false })).toMatchObject({ targetPublic: 'no', linkValid: 'unknown' });
    expect(findingsFormSchema.safeParse(findingsToForm(null)).success).toBe(true);
  });

  it('takes booleans, nulls or the form’s words on the server, and names a bad field', () => {
    const ok = saveFindingsSchema.parse({ ticketId: '7', findings: { ...UNKNOWN, targetPublic: 'no', companyFault: true } });
    expect(ok).toEqual({ ticketId: 7, findings: { ...UNKNOWN, targetPublic: false, companyFault: true } });
    const bad = saveFindingsSchema.safeParse({ ticketId: 7, findings: { ...UNKNOWN, targetPublic: 'maybe' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['findings', 'targetPublic'], message: 'Choose yes, no or unknown.' });
    expect(saveFindingsSchema.safeParse({ ticketId: 7, findings: { ...UNKNOWN, extra: true } }).success).toBe(false);
    expect(saveFindingsSchema.safeParse({ ticketId: 0, findings: UNKNOWN }).success).toBe(false);
    expect(saveFindingsSchema.safeParse({ ticketId: 7, findings: UNKNOWN, basedOn: 'yesterday' }).success).toBe(false);
    expect(saveFindingsSchema.safeParse({ ticketId: 7, findings: UNKNOWN, basedOn: '2026-07-01T12:00:00.000Z' }).success).toBe(true);
  });
});

describe('message schemas', () => {
  it('trims, refuses empty and over-long bodies, and coerces isInternal from a form', () => {
    expect(messageFormSchema.safeParse({ kind: 'reply', body: '   ' }).success).toBe(false);
    expect(messageFormSchema.safeParse({ kind: 'note', body: 'x'.repeat(5000) }).success).toBe(true);
    expect(messageFormSchema.safeParse({ kind: 'note', body: 'x'.repeat(5001) }).success).toBe(false);
    expect(addTicketMessageSchema.parse({ ticketId: '3', body: ' hi ', isInternal: 'false' })).toEqual({
      ticketId: 3,
      body: 'hi',
      isInternal: false,
    });
  });
});

describe('findingsReadFor', () => {
  it('lists what the policy reads for each claim', () => {
    expect(findingsReadFor('not_delivered')).toEqual(FINDING_NAMES);
    expect(findingsReadFor('drop')).not.toContain('companyFault');
    expect(findingsReadFor('drop')).toHaveLength(6);
    expect(findingsReadFor('duplicate_payment')).toEqual(['companyFault']);
    expect(findingsReadFor('quality')).toEqual([]);
    expect(findingsReadFor('other')).toEqual([]);
    for (const claim of CLAIMS) expect(Array.isArray(findingsReadFor(claim))).toBe(true);
  });
});
