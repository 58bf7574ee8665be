/** Evidence drafts: how many files a ticket gets, what each screenshot shows, the name it came with. */
import type { Claim } from './phrases';
import { metricLabel, type Platform } from './catalog';
import { handle } from './people';
import type { Rng, Weighted } from './random';
import type { Block, IdCursor, OrderStatus, Subject, TicketRow } from './rows';
import type { ScreenshotSpec } from './screenshots';
import { MINUTE } from './timeline';

const EVIDENCE_COUNT: Weighted<number> = [
  [0, 20],
  [1, 45],
  [2, 25],
  [3, 10],
];

/** Adds the ticket's evidence drafts; returns the time of the last upload (or the opening). */
export function makeEvidence(
  anchorMs: number,
  rng: Rng,
  ids: IdCursor,
  out: Block,
  ticket: TicketRow,
  claim: Claim,
  subject: Subject,
  lastMs: number,
): number {
  const count = rng.weighted(EVIDENCE_COUNT);
  const openedMs = ticket.openedAt.getTime();
  let lastUploadMs = openedMs;
  for (let i = 0; i < count; i++) {
    const uploadedMs =
      i === 0 || rng.chance(0.6) ? openedMs + rng.real(5, 180) * 1000 : openedMs + rng.real(0, Math.max(0, lastMs - openedMs));
    const takenAt = new Date(uploadedMs - rng.real(0.5, 120) * MINUTE);
    const spec = screenshotSpec(rng, claim, subject, takenAt);
    out.evidence.push({
      id: ++ids.evidence,
      ticketId: ticket.id,
      originalName: fileName(rng, takenAt, spec),
      uploadedBy: null,
      uploadedAt: new Date(Math.min(anchorMs, uploadedMs)),
      spec,
    });
    lastUploadMs = Math.max(lastUploadMs, Math.min(anchorMs, uploadedMs));
  }
  return lastUploadMs;
}

/** How the panel's order page names our statuses. */
const PANEL_STATUS: Record<OrderStatus, string> = {
  submitted: 'Pending',
  processing: 'In progress',
  partial: 'Partial',
  completed: 'Completed',
  canceled: 'Canceled',
};

function screenshotSpec(rng: Rng, claim: Claim, subject: Subject, takenAt: Date): ScreenshotSpec {
  const seed = rng.nextUint32();
  const { payment, order, service } = subject;
  if (payment) {
    return {
      kind: 'payment',
      processor: payment.processor,
      method:
        payment.method === 'crypto' ? rng.pick(['USDT TRC20', 'USDT BEP20', 'BTC', 'LTC', 'USDT ERC20']) : payment.method.toUpperCase(),
      amount: payment.amount,
      transactionId: payment.transactionId,
      status: payment.isCredited || rng.chance(0.7) ? 'success' : 'pending',
      takenAt,
      seed,
    };
  }
  if (order && service && rng.chance(0.4)) {
    const row = order.row;
    return {
      kind: 'order',
      orderNumber: row.externalId,
      service: service.name,
      link: row.link,
      quantity: row.quantity,
      startCount: row.startCount,
      remains: row.quantity - row.delivered,
      charge: row.charge,
      status: PANEL_STATUS[row.status],
      takenAt,
      seed,
    };
  }
  const start = order?.startCount ?? Math.round(rng.logNormal(2_000, 30_000));
  const delivered = order?.row.delivered ?? 0;
  // What the customer wants to show: the count that did not move, or the count after the drop.
  const count =
    claim === 'drop'
      ? (order?.droppedTo ?? Math.round((start + delivered) * rng.real(0.6, 0.95)))
      : claim === 'not_delivered' || claim === 'not_started'
        ? start
        : start + Math.round(delivered * rng.real(0.3, 1));
  return {
    kind: 'profile',
    platform: service?.platform ?? 'Instagram',
    handle: subject.account ?? handle(rng),
    metric: service ? metricLabel(service.metric).toLowerCase() : 'followers',
    count,
    posts: rng.int(3, 900),
    following: rng.int(20, 2_500),
    takenAt,
    seed,
  };
}

const APP_IDS: Record<Platform, string> = {
  Instagram: 'com.instagram.android',
  TikTok: 'com.zhiliaoapp.musically',
  YouTube: 'com.google.android.youtube',
  Telegram: 'org.telegram.messenger',
  X: 'com.twitter.android',
};

/** File names phones and apps give screenshots (some say .jpg/.jpeg: the type is sniffed, never taken from the name). */
const FILE_NAMES: Weighted<(rng: Rng, ymd: string, hms: string, app: string) => string> = [
  [(_, d, t, app) => `Screenshot_${d.replace(/-/g, '')}-${t}_${app}.png`, 35],
  [(rng, d, t) => `Screenshot_${d}-${t.slice(0, 2)}-${t.slice(2, 4)}-${t.slice(4)}-${rng.digits(3)}.png`, 15],
  [(_, d, t) => `IMG_${d.replace(/-/g, '')}_${t}.png`, 12],
  [(_, d, t) => `WhatsApp Image ${d} at ${t.slice(0, 2)}.${t.slice(2, 4)}.${t.slice(4)}.jpeg`, 12],
  [(_, d, t) => `photo_${d}_${t.slice(0, 2)}-${t.slice(2, 4)}-${t.slice(4)}.jpg`, 10],
  [() => 'image.png', 8],
  [(_, d, t) => `Screen Shot ${d} at ${t.slice(0, 2)}.${t.slice(2, 4)}.${t.slice(4)}.png`, 8],
];

function fileName(rng: Rng, at: Date, spec: ScreenshotSpec): string {
  const iso = at.toISOString();
  const app = spec.kind === 'profile' ? APP_IDS[spec.platform] : 'com.android.chrome';
  return rng.weighted(FILE_NAMES)(rng, iso.slice(0, 10), iso.slice(11, 19).replace(/:/g, ''), app);
}
