/**
 * "Screenshots" customers attach: a social profile on a phone, the panel's order page, a payment
 * receipt. Drawn deterministically from a spec with the bitmap font.
 */
import type { Platform } from './catalog';
import { Canvas, clip, dHash, textWidth, type Rgb } from './png';
import { Rng } from './random';

export type ScreenshotSpec =
  | {
      kind: 'profile';
      platform: Platform;
      handle: string;
      /** e.g. "followers", "views" */
      metric: string;
      count: number;
      posts: number;
      following: number;
      takenAt: Date;
      seed: number;
    }
  | {
      kind: 'order';
      orderNumber: string;
      service: string;
      link: string;
      quantity: number;
      startCount: number | null;
      remains: number;
      charge: string;
      status: string;
      takenAt: Date;
      seed: number;
    }
  | {
      kind: 'payment';
      processor: string;
      method: string;
      amount: string;
      transactionId: string;
      status: 'success' | 'pending';
      takenAt: Date;
      seed: number;
    };

export interface RenderedImage {
  png: Buffer;
  width: number;
  height: number;
  perceptualHash: string;
}

const INK: Rgb = [24, 24, 27];
const MUTED: Rgb = [113, 113, 122];
const LINE: Rgb = [228, 228, 231];
const WHITE: Rgb = [255, 255, 255];

const ACCENT: Record<Platform, Rgb> = {
  Instagram: [225, 48, 108],
  TikTok: [22, 24, 35],
  YouTube: [230, 33, 23],
  Telegram: [36, 161, 222],
  X: [15, 20, 25],
};

export function renderScreenshot(spec: ScreenshotSpec): RenderedImage {
  const canvas = spec.kind === 'profile' ? drawProfile(spec) : spec.kind === 'order' ? drawOrder(spec) : drawPayment(spec);
  return {
    png: canvas.toPng(),
    width: canvas.width,
    height: canvas.height,
    perceptualHash: dHash(canvas.data, canvas.width, canvas.height),
  };
}

/** "4213" → "4,213"; "1250000" → "1.2M" (as apps show big counts). */
export function appCount(n: number): string {
  if (n >= 1_000_000) return `${(Math.floor(n / 100_000) / 10).toFixed(1).replace(/\.0$/, '')}M`;
  if (n >= 10_000) return `${(Math.floor(n / 100) / 10).toFixed(1).replace(/\.0$/, '')}K`;
  return n.toLocaleString('en-US');
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const clock = (d: Date) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
const dayText = (d: Date) => `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;

function statusBar(c: Canvas, takenAt: Date, rng: Rng, dark: boolean): void {
  const fg = dark ? WHITE : INK;
  c.fillRect(0, 0, c.width, 24, dark ? [0, 0, 0] : [246, 246, 247]);
  c.text(10, 8, clock(takenAt), 1, fg);
  c.text(c.width - 78, 8, rng.pick(['4G', '5G', 'LTE', 'WIFI']), 1, fg);
  const battery = rng.int(8, 99);
  c.text(c.width - 52, 8, `${battery}%`, 1, fg);
  c.fillRect(c.width - 26, 7, 18, 9, fg);
  c.fillRect(c.width - 25, 8, 16, 7, dark ? [0, 0, 0] : [246, 246, 247]);
  c.fillRect(c.width - 25, 8, Math.max(1, Math.round((16 * battery) / 100)), 7, battery < 20 ? [220, 38, 38] : fg);
}

function drawProfile(spec: Extract<ScreenshotSpec, { kind: 'profile' }>): Canvas {
  const rng = new Rng(spec.seed);
  const dark = spec.platform === 'TikTok' || spec.platform === 'X' ? rng.chance(0.6) : rng.chance(0.15);
  const bg: Rgb = dark ? [12, 12, 14] : WHITE;
  const fg: Rgb = dark ? [240, 240, 240] : INK;
  const c = new Canvas(360, 640, bg);
  statusBar(c, spec.takenAt, rng, dark);
  const accent = ACCENT[spec.platform];

  // App bar with the handle.
  c.fillRect(0, 24, 360, 44, dark ? [24, 24, 27] : accent);
  c.text(14, 38, clip(`@${spec.handle}`, 26), 2, WHITE);

  // Avatar and the three counts.
  const avatar: Rgb = [rng.int(120, 230), rng.int(100, 220), rng.int(100, 230)];
  c.fillCircle(50, 120, 34, accent);
  c.fillCircle(50, 120, 30, avatar);
  c.fillCircle(50, 110, 11, [avatar[0] - 60, avatar[1] - 60, avatar[2] - 60]);
  c.fillRect(34, 126, 33, 16, [avatar[0] - 60, avatar[1] - 60, avatar[2] - 60]);
  const columns: [string, string][] = [
    [appCount(spec.posts), spec.platform === 'YouTube' ? 'videos' : 'posts'],
    [appCount(spec.count), spec.metric],
    [appCount(spec.following), 'following'],
  ];
  columns.forEach(([value, label], i) => {
    const cx = 140 + i * 82;
    c.textCentered(cx, 100, value, value.length > 5 ? 2 : 3, fg);
    c.textCentered(cx, 130, clip(label, 12), 1, MUTED);
  });

  // Name, bio lines, buttons.
  c.text(16, 170, clip(spec.handle.replace(/[._]/g, ' '), 28), 2, fg);
  for (let i = 0; i < 3; i++) c.fillRect(16, 196 + i * 14, rng.int(120, 320), 6, dark ? [70, 70, 76] : [200, 200, 206]);
  c.fillRect(16, 246, 160, 30, spec.platform === 'Instagram' ? [0, 149, 246] : accent);
  c.textCentered(96, 256, 'Following', 1, WHITE);
  c.fillRect(184, 246, 160, 30, dark ? [40, 40, 44] : [239, 239, 240]);
  c.textCentered(264, 256, 'Message', 1, fg);

  // Post grid: a different picture every time.
  const tile = 118;
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      const x = col * (tile + 3);
      const y = 290 + row * (tile + 3);
      const base: Rgb = [rng.int(30, 240), rng.int(30, 240), rng.int(30, 240)];
      c.fillRect(x, y, tile, tile, base);
      c.fillRect(x + rng.int(0, 60), y + rng.int(0, 60), rng.int(20, 58), rng.int(20, 58), [255 - base[0], 255 - base[1], 255 - base[2]]);
    }
  }

  // Navigation bar and the date the customer typed on it.
  c.fillRect(0, 600, 360, 40, dark ? [0, 0, 0] : [250, 250, 250]);
  for (let i = 0; i < 5; i++) c.fillRect(30 + i * 70, 612, 16, 16, fg);
  c.fillRect(236, 566, 118, 24, [255, 250, 205]);
  c.text(242, 575, dayText(spec.takenAt), 1, INK);
  return c;
}

const STATUS_COLOR: Record<string, Rgb> = {
  Completed: [22, 163, 74],
  Partial: [234, 88, 12],
  Canceled: [220, 38, 38],
  Pending: [202, 138, 4],
  'In progress': [37, 99, 235],
  Processing: [37, 99, 235],
};

function drawOrder(spec: Extract<ScreenshotSpec, { kind: 'order' }>): Canvas {
  const rng = new Rng(spec.seed);
  const c = new Canvas(720, 400, [243, 244, 246]);
  const brand: Rgb = [rng.int(20, 60), rng.int(40, 90), rng.int(120, 200)];
  c.fillRect(0, 0, 720, 48, brand);
  c.text(18, 17, rng.pick(['SMM PANEL', 'BOOSTPANEL', 'JAP', 'PEAKERR', 'SMMKINGS', 'TOPSMM']), 2, WHITE);
  c.text(430, 20, `Balance: $${rng.int(0, 400)}.${String(rng.int(0, 99)).padStart(2, '0')}`, 1, WHITE);
  c.fillRect(20, 64, 680, 316, WHITE);
  c.fillRect(20, 64, 680, 1, LINE);
  c.text(36, 80, `Order #${spec.orderNumber}`, 3, INK);
  const rows: [string, string][] = [
    ['Date', `${dayText(spec.takenAt)} ${clock(spec.takenAt)}`],
    ['Service', clip(spec.service.replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' '), 56)],
    ['Link', clip(spec.link.trim(), 56)],
    ['Charge', `$${spec.charge}`],
    ['Start count', spec.startCount === null ? '-' : String(spec.startCount)],
    ['Quantity', String(spec.quantity)],
    ['Remains', String(spec.remains)],
  ];
  rows.forEach(([label, value], i) => {
    const y = 124 + i * 30;
    c.text(36, y, label, 2, MUTED);
    c.text(200, y, value, label === 'Service' || label === 'Link' ? 1 : 2, INK);
    c.fillRect(36, y + 22, 648, 1, LINE);
  });
  const color = STATUS_COLOR[spec.status] ?? MUTED;
  const w = textWidth(spec.status, 2) + 24;
  c.fillRect(684 - w, 80, w, 26, color);
  c.text(696 - w, 86, spec.status, 2, WHITE);
  return c;
}

function drawPayment(spec: Extract<ScreenshotSpec, { kind: 'payment' }>): Canvas {
  const rng = new Rng(spec.seed);
  const c = new Canvas(360, 640, [248, 250, 252]);
  statusBar(c, spec.takenAt, rng, false);
  const brand: Rgb = [rng.int(10, 90), rng.int(60, 160), rng.int(90, 220)];
  c.fillRect(0, 24, 360, 56, brand);
  c.text(16, 44, clip(spec.processor, 20), 2, WHITE);
  const ok = spec.status === 'success';
  c.fillCircle(180, 160, 44, ok ? [34, 197, 94] : [245, 158, 11]);
  c.textCentered(180, 146, ok ? '+' : '...', 4, WHITE);
  c.textCentered(180, 222, ok ? 'PAYMENT SUCCESSFUL' : 'WAITING FOR PAYMENT', 2, INK);
  c.textCentered(180, 262, `$${spec.amount}`, 5, INK);
  c.textCentered(180, 310, spec.method, 2, MUTED);
  c.fillRect(20, 346, 320, 1, [226, 232, 240]);
  c.text(24, 362, 'Transaction ID', 1, MUTED);
  const tx = spec.transactionId;
  for (let i = 0; i * 26 < tx.length && i < 3; i++) c.text(24, 378 + i * 18, tx.slice(i * 26, i * 26 + 26), 2, INK);
  c.text(24, 448, 'Date', 1, MUTED);
  c.text(24, 464, `${dayText(spec.takenAt)} ${clock(spec.takenAt)} UTC`, 2, INK);
  c.fillRect(20, 560, 320, 44, brand);
  c.textCentered(180, 575, 'Back to merchant', 2, WHITE);
  return c;
}
