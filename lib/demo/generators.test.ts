import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ticketClaim } from '@/db/schema';
import { CATALOG } from './catalog';
import { hasGlyph } from './font';
import { BLOCK_TICKETS, CLAIM_MIX, generateBlock, givenLink, givenOrderNumber, type GenEnv } from './generate';
import { centsToDecimal, chargeCents, decimalToCents, decimalToRateE4, rateToDecimal, refundCents } from './money';
import { uniqueDigits, username } from './people';
import { dHash } from './png';
import { customerOpening } from './phrases';
import { Rng, mixSeed } from './random';
import type { IdCursor } from './rows';
import { renderScreenshot, type ScreenshotSpec } from './screenshots';
import { encodeCopyValue, isoTimestamp } from './write-copy';

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(sa);
    expect(Rng.derive(1, 2, 3).next()).toBe(Rng.derive(1, 2, 3).next());
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
  });

  it('draws within bounds and roughly uniformly', () => {
    const rng = new Rng(7);
    const counts = [0, 0, 0, 0, 0, 0];
    let outside = 0;
    for (let i = 0; i < 60_000; i++) {
      const v = rng.int(0, 5);
      if (v < 0 || v > 5 || !Number.isInteger(v)) outside++;
      else counts[v]!++;
    }
    expect(outside).toBe(0);
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(600);
  });

  it('draws log-normal values around the median with the asked p90', () => {
    const rng = new Rng(9);
    const values = Array.from({ length: 20_000 }, () => rng.logNormal(10, 60)).sort((x, y) => x - y);
    expect(values[10_000]!).toBeGreaterThan(9);
    expect(values[10_000]!).toBeLessThan(11);
    expect(values[18_000]!).toBeGreaterThan(52);
    expect(values[18_000]!).toBeLessThan(68);
  });

  it('follows weights', () => {
    const rng = new Rng(3);
    let hits = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        rng.weighted([
          ['a', 1],
          ['b', 3],
        ] as const) === 'b'
      )
        hits++;
    expect(hits / 10_000).toBeCloseTo(0.75, 1);
  });
});

describe('money', () => {
  it('charges rate × quantity / 1000 rounded half up to the cent, at least a cent', () => {
    expect(chargeCents(decimalToRateE4('2.0'), 1000)).toBe(200);
    expect(chargeCents(decimalToRateE4('1.95'), 1500)).toBe(293); // 2.925 → 2.93
    expect(chargeCents(decimalToRateE4('0.05'), 100)).toBe(1); // 0.005 → 0.01
    expect(chargeCents(decimalToRateE4('0.05'), 10)).toBe(1); // 0.0005 → at least 0.01
    expect(chargeCents(decimalToRateE4('45'), 4000)).toBe(18_000);
    expect(chargeCents(decimalToRateE4('0.0725'), 3)).toBe(1);
  });

  it('formats and parses cents and rates exactly', () => {
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(123_456_789_012)).toBe('1234567890.12');
    expect(decimalToCents('12.5')).toBe(1250);
    expect(rateToDecimal(decimalToRateE4('0.0725'))).toBe('0.0725');
    expect(refundCents(1000, 157, 1000)).toBe(157);
    expect(refundCents(999, 1, 3)).toBe(333);
  });
});

describe('people', () => {
  it('gives unique digits to distinct customers', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(uniqueDigits(i, 4));
    expect(seen.size).toBe(10_000);
    expect(uniqueDigits(3, 4)).toMatch(/^\d{4}$/);
  });

  it('makes usernames that end with those digits', () => {
    const rng = new Rng(1);
    const names = Array.from({ length: 2_000 }, (_, i) => username(rng, i, 4));
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(2_000);
    for (const n of names) expect(n).toMatch(/^[A-Za-z._]+\d{4}$/);
  });
});

describe('what customers type', () => {
  it('keeps the order number mostly, with a few slips', () => {
    const rng = new Rng(5);
    const given = Array.from({ length: 2_000 }, () => givenOrderNumber(rng, '1004512'));
    const exact = given.filter((g) => g === '1004512').length;
    expect(exact / given.length).toBeGreaterThan(0.75);
    expect(given).toContain(null);
    expect(given.some((g) => g !== null && g !== '1004512' && g.trim() !== '1004512' && !g.startsWith('#'))).toBe(true);
  });

  it('keeps the link mostly, sometimes with spaces, the other scheme, or missing', () => {
    const rng = new Rng(6);
    const link = 'https://www.instagram.com/glow.by.bella/';
    const given = Array.from({ length: 2_000 }, () => givenLink(rng, link));
    expect(given.filter((g) => g === link).length / given.length).toBeGreaterThan(0.7);
    expect(given.some((g) => g !== null && g !== link && g.trim() === link)).toBe(true);
    expect(given).toContain('http://www.instagram.com/glow.by.bella/');
    expect(given).toContain(null);
  });
});

describe('generateBlock', () => {
  const env: GenEnv = {
    seed: 11,
    anchorMs: Date.UTC(2026, 6, 1),
    services: CATALOG.map((s, i) => ({ ...s, id: i + 1 })),
    staff: { agents: [1, 2], supervisors: [3], admins: [4], former: 5 },
    usernameDigits: 4,
  };
  const cursor = (): IdCursor => ({
    customer: 0,
    order: 0,
    orderEvent: 0,
    payment: 0,
    ticket: 0,
    message: 0,
    evidence: 0,
    customerIndex: 0,
  });

  it('is pure: same inputs, same rows', () => {
    expect(JSON.stringify(generateBlock(env, 3, 200, cursor()))).toBe(JSON.stringify(generateBlock(env, 3, 200, cursor())));
    expect(JSON.stringify(generateBlock(env, 4, 200, cursor()))).not.toBe(JSON.stringify(generateBlock(env, 3, 200, cursor())));
  });

  it('makes about three orders per ticket and half as many customers, all referring to their own rows', () => {
    const ids = cursor();
    const block = generateBlock(env, 0, BLOCK_TICKETS, ids);
    expect(block.tickets).toHaveLength(BLOCK_TICKETS);
    expect(block.orders.length / BLOCK_TICKETS).toBeGreaterThan(2.6);
    expect(block.orders.length / BLOCK_TICKETS).toBeLessThan(3.5);
    expect(block.customers.length).toBe(560);
    const orders = new Map(block.orders.map((o) => [o.id, o]));
    const payments = new Map(block.payments.map((p) => [p.id, p]));
    for (const t of block.tickets) {
      if (t.orderId !== null) expect(orders.get(t.orderId)?.customerId).toBe(t.customerId);
      if (t.paymentId !== null) expect(payments.get(t.paymentId)?.customerId).toBe(t.customerId);
      expect(t.openedAt.getTime()).toBeLessThanOrEqual(env.anchorMs);
      expect(t.openedAt.getTime()).toBeGreaterThan(env.anchorMs - 21 * 86_400_000);
    }
    for (const p of block.payments) if (p.duplicateOf !== null) expect(payments.get(p.duplicateOf)?.amount).toBe(p.amount);
    expect(ids.ticket).toBe(BLOCK_TICKETS);
    expect(ids.order).toBe(block.orders.length);
  });

  it('agrees with itself: order screenshots show the ticket’s own order, provider errors fit the platform, staff replies fit the order’s state', () => {
    const block = generateBlock(env, 2, BLOCK_TICKETS, cursor());
    const orders = new Map(block.orders.map((o) => [o.id, o]));
    const tickets = new Map(block.tickets.map((t) => [t.id, t]));
    const platformOf = new Map(env.services.map((s) => [s.id, s.platform]));

    let orderShots = 0;
    for (const e of block.evidence) {
      if (e.spec.kind !== 'order') continue;
      orderShots += 1;
      const order = orders.get(tickets.get(e.ticketId)!.orderId!);
      expect(e.spec.orderNumber).toBe(order?.externalId);
    }
    expect(orderShots).toBeGreaterThan(10);

    // Words that name a platform's own things, and the platforms they fit.
    const PLATFORM_WORDS: [RegExp, string[]][] = [
      [/Instagram/, ['Instagram']],
      [/TikTok/, ['TikTok']],
      [/^Video /, ['YouTube', 'TikTok']],
      [/^Channel |Telegram channel|in channel/, ['Telegram', 'YouTube']],
      [/X account/, ['X']],
    ];
    let errors = 0;
    for (const event of block.orderEvents) {
      const message = (event.data as { message?: string }).message;
      if (event.kind !== 'provider_error' || !message) continue;
      errors += 1;
      const platform = platformOf.get(orders.get(event.orderId)!.serviceId)!;
      for (const [words, fits] of PLATFORM_WORDS)
        if (words.test(message)) expect({ message, platform }).toEqual({ message, platform: expect.toBeOneOf(fits) });
    }
    expect(errors).toBeGreaterThan(20);

    const statusOfTicket = (ticketId: number) => {
      const t = tickets.get(ticketId)!;
      return t.orderId === null ? null : orders.get(t.orderId)!.status;
    };
    for (const m of block.ticketMessages) {
      if (m.staffId === null || m.isInternal) continue;
      const status = statusOfTicket(m.ticketId);
      const claim = tickets.get(m.ticketId)!.claim;
      const fact = { body: m.body, status, claim };
      if (/marked .* as completed|is completed now/.test(m.body)) expect(fact).toMatchObject({ status: 'completed' });
      if (/already started, so it cannot be cancelled/.test(m.body))
        expect(fact).toMatchObject({ status: expect.toBeOneOf(['processing', 'partial', 'completed']) });
      if (/cancel has been requested/.test(m.body)) expect(fact).toMatchObject({ status: 'submitted' });
      if (/completed as partial/.test(m.body)) expect(fact).toMatchObject({ status: 'partial' });
      if (/^Refill for .* is completed/.test(m.body)) expect(fact).toMatchObject({ claim: 'drop' });
      if (/in the provider queue/.test(m.body)) expect(fact).toMatchObject({ status: 'submitted' });
    }
  });

  it('makes every claim of the contract at 200 tickets', () => {
    const block = generateBlock(env, 0, 200, cursor());
    expect(new Set(block.tickets.map((t) => t.claim))).toEqual(new Set(ticketClaim.enumValues));
  });

  it('has a claim mix close to the intended one', () => {
    const block = generateBlock(env, 1, BLOCK_TICKETS, cursor());
    const total = CLAIM_MIX.reduce((sum, [, w]) => sum + w, 0);
    const orderClaims = new Set(['not_started', 'not_delivered', 'partial_delivery', 'drop', 'cancel_request', 'slow_delivery']);
    const share = block.tickets.filter((t) => orderClaims.has(t.claim)).length / block.tickets.length;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.82);
    expect(total).toBe(100);
    expect(new Set(CLAIM_MIX.map(([c]) => c))).toEqual(new Set(ticketClaim.enumValues));
  });
});

describe('screenshots', () => {
  const takenAt = new Date('2026-06-28T14:12:33Z');
  const specs: ScreenshotSpec[] = [
    {
      kind: 'profile',
      platform: 'Instagram',
      handle: 'glow.by.bella',
      metric: 'followers',
      count: 4213,
      posts: 12,
      following: 300,
      takenAt,
      seed: 1,
    },
    {
      kind: 'order',
      orderNumber: '1004512',
      service: 'Instagram Followers | [R30] ♻️',
      link: 'https://instagram.com/x',
      quantity: 1000,
      startCount: 3572,
      remains: 157,
      charge: '1.95',
      status: 'Partial',
      takenAt,
      seed: 2,
    },
    {
      kind: 'payment',
      processor: 'Cryptomus',
      method: 'USDT TRC20',
      amount: '25.00',
      transactionId: 'abc-123',
      status: 'success',
      takenAt,
      seed: 3,
    },
  ];

  it('renders PNGs that decode to the stated size, with a stable perceptual hash', () => {
    for (const spec of specs) {
      const image = renderScreenshot(spec);
      const decoded = PNG.sync.read(image.png);
      expect([decoded.width, decoded.height]).toEqual([image.width, image.height]);
      expect(image.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
      expect(dHash(decoded.data, decoded.width, decoded.height, 4)).toBe(image.perceptualHash);
      expect(renderScreenshot(spec).png.equals(image.png)).toBe(true);
    }
    expect(renderScreenshot({ ...specs[0]!, seed: 99 }).png.equals(renderScreenshot(specs[0]!).png)).toBe(false);
  });

  it('has glyphs for the characters screenshots use', () => {
    for (const ch of '0123456789abcxyzABCXYZ@./:-%#$_ ') expect(hasGlyph(ch)).toBe(true);
  });
});

describe('COPY text encoding', () => {
  it('escapes what the text format needs and writes null as \\N', () => {
    expect(encodeCopyValue(null, 'text')).toBe('\\N');
    expect(encodeCopyValue('a\tb\nc\\d\r', 'text')).toBe('a\\tb\\nc\\\\d\\r');
    expect(encodeCopyValue(true, 'boolean')).toBe('t');
    expect(encodeCopyValue(new Date('2026-07-01T00:00:00Z'), 'date')).toBe('2026-07-01T00:00:00.000Z');
    expect(encodeCopyValue({ message: 'a\\b' }, 'json')).toBe('{"message":"a\\\\\\\\b"}');
    expect(encodeCopyValue('"x"', 'json')).toBe('"\\\\"x\\\\""');
  });

  it('formats times exactly like toISOString', () => {
    const rng = new Rng(12);
    for (let i = 0; i < 2_000; i++) {
      const ms = Math.floor(rng.real(0, 4_102_444_800_000));
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
    expect(isoTimestamp(Date.UTC(2026, 6, 1))).toBe('2026-07-01T00:00:00.000Z');
  });
});

describe('customer wording', () => {
  it('keeps links, amounts and order numbers exactly as they are, whatever the casing', () => {
    const rng = new Rng(21);
    const link = 'https://youtu.be/AbC_dEf-123?si=XyZ';
    for (let i = 0; i < 300; i++) {
      const text = customerOpening(rng, 'payment_not_credited', { amount: '$34.98', tx: 'pi_3AbCdEf', method: 'PIX' });
      if (text.includes('34')) expect(text).toContain('$34.98');
      if (text.toLowerCase().includes('pi_3')) expect(text).toContain('pi_3AbCdEf');
      const order = customerOpening(rng, 'not_started', { order: '1004512', link, status: 'processing' });
      if (order.includes('youtu')) expect(order).toContain(link);
    }
  });
});
