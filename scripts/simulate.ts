/**
 * npm run simulate -- --url http://localhost:3000 --key rdk_… [--rate 20] [--minutes 5] [--seed N]
 *                     [--concurrency N] [--ticket-share 0.0286] [--prefix ID]
 *
 * Plays a realistic stream of a panel's traffic into a running Refund Desk through the HTTP API only
 * (sim/): catalogue, customers, orders through their statuses, batches, drops, payments, tickets in
 * DOMAIN.md's claim mix, customer replies. Every POST carries an Idempotency-Key; 429 waits
 * Retry-After. A progress line while it runs, a summary at the end. The key needs the scopes
 * intake:write (and order-events for status changes sent as order events; without it they go as
 * order updates). `--minutes 0` runs until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { simulate } from '@/sim/run';

const USAGE =
  'Usage: npm run simulate -- --url http://localhost:3000 --key rdk_… [--rate 20] [--minutes 5] [--seed N] [--concurrency N] [--ticket-share 0.03] [--prefix ID]';

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.APP_URL ?? 'http://localhost:3000' },
      key: { type: 'string', default: process.env.SIM_API_KEY },
      rate: { type: 'string', default: '20' },
      minutes: { type: 'string', default: '5' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      'ticket-share': { type: 'string' },
      prefix: { type: 'string' },
    },
  });
  const rate = Number(values.rate);
  const minutes = Number(values.minutes);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const ticketShare = values['ticket-share'] === undefined ? undefined : Number(values['ticket-share']);
  if (
    !values.key ||
    !(rate > 0) ||
    !(minutes >= 0) ||
    !Number.isInteger(seed) ||
    (concurrency !== undefined && !(concurrency >= 1)) ||
    (ticketShare !== undefined && !(ticketShare >= 0))
  ) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  // Ids unique to this run (so runs do not update each other's records), unless given.
  const idPrefix = values.prefix ?? `s${Date.now().toString(36)}-`;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  console.error(`Simulating a panel against ${values.url}: ${rate} req/s for ${minutes || '∞'} min, seed ${seed}, ids ${idPrefix}…`);
  const stats = await simulate({
    url: values.url,
    key: values.key,
    rate,
    minutes: minutes || Infinity,
    seed,
    idPrefix,
    concurrency,
    ticketShare,
    tty: process.stderr.isTTY,
    signal: controller.signal,
    log: (line) => console.error(line),
  });
  if (stats.errors > 0 || stats.accepted === 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
