import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { findUnsafeInput, parseInput, refuseUnsafeInput, refuseUnsafeText } from './parse';

const schema = z.object({ reason: z.string(), data: z.record(z.string(), z.unknown()).optional() });
const failure = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (error) {
    return error;
  }
};

describe('parseInput', () => {
  it('refuses a NUL character, naming the field, before the schema or the database sees it', () => {
    expect(failure(() => parseInput(schema, { reason: 'ok\u0000' }))).toMatchObject({
      code: 'invalid',
      message: 'reason: Remove the NUL character (\\u0000): text cannot contain it.',
      fieldErrors: { reason: [expect.stringContaining('NUL')] },
    });
    expect(failure(() => parseInput(schema, { reason: 'x', data: { nested: ['a', 'b\u0000'] } }))).toMatchObject({
      message: expect.stringMatching(/^data\.nested\.1: /),
    });
    expect(failure(() => parseInput(schema, { reason: 'x', data: { 'k\u0000': 1 } }))).toMatchObject({
      message: expect.stringMatching(/^data: A field name/),
    });
  });

  it('refuses lone surrogates but keeps real astral characters', () => {
    expect(failure(() => parseInput(schema, { reason: 'broken \ud83d' }))).toMatchObject({
      message: expect.stringMatching(/^reason: .*surrogate/),
    });
    expect(failure(() => parseInput(schema, { reason: '\ude00 low' }))).toMatchObject({ code: 'invalid' });
    expect(parseInput(schema, { reason: 'thanks 🙂' })).toEqual({ reason: 'thanks 🙂' });
  });

  it('refuses 20,000-deep nesting with a sentence instead of overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    expect(failure(() => parseInput(schema, { reason: 'x', data: { deep } }))).toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('Nested more than 32 levels'),
    });
    expect(findUnsafeInput({ a: { b: { c: 'fine' } } })).toBeNull();
  });
});

describe('refuseUnsafeInput', () => {
  it('refuses 20,000 levels without overflowing the stack and NUL at any depth, naming where, and lets 32 levels through', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(failure(() => refuseUnsafeInput({ data: deep }))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^data(\.0)+: Nested more than 32 levels/),
    });
    let ok: unknown = 'fine';
    for (let i = 0; i < 31; i++) ok = { a: ok };
    expect(failure(() => refuseUnsafeInput(ok))).toBeNull();
    expect(failure(() => refuseUnsafeInput(undefined))).toBeNull();
    expect(failure(() => refuseUnsafeInput({ a: { reason: 'a\u0000' } }))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^a\.reason: /),
    });
  });
});

describe('refuseUnsafeText', () => {
  it('refuses NUL and lone surrogates inside a zod schema with the same sentence as parseInput', () => {
    const q = z.object({ q: z.string().superRefine(refuseUnsafeText) });
    expect(q.safeParse({ q: 'fine 😀' }).success).toBe(true);
    for (const [value, says] of [
      ['a\u0000', /NUL/],
      ['\ud800', /surrogate/],
      ['x\udfff', /surrogate/],
    ] as const) {
      const result = q.safeParse({ q: value });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ path: ['q'], message: expect.stringMatching(says) });
      expect(failure(() => parseInput(q, { q: value }))).toMatchObject({ message: expect.stringMatching(says) });
    }
  });
});
