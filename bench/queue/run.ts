/**
 * npm run bench:queue — server time of the queue and the ticket page on PostgreSQL, next to the bare
 * SQL of the same queries, and the JavaScript the queue page sends.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/rd_bench_queue npm run bench:queue -- --prepare
 *   DATABASE_URL=… npm run bench:queue [-- --runs 60 --http http://localhost:3000]
 *
 * `--prepare` recreates that (scratch) database with 1,000,000 seeded tickets first. `--http` also
 * measures whole page responses from a production server running on the same database.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { schema, setDbHandle, type Db } from '@/db';
import { staffUsers, tickets } from '@/db/schema';
import type { Ctx } from '@/lib/auth/actor';
import { getTicketDetail } from '@/lib/tickets/detail';
import { listQueue } from '@/lib/tickets/queue';
import { prepare } from './prepare';

interface Captured {
  connection: unknown;
  query: string;
  params: unknown[];
}

type Step = { query: string; params: unknown[] } | { transaction: { query: string; params: unknown[] }[] };

/** The captured statements per connection, with BEGIN…COMMIT runs grouped into transactions. */
function plan(captured: Captured[]): Step[][] {
  const byConnection = new Map<unknown, Captured[]>();
  for (const c of captured) byConnection.set(c.connection, [...(byConnection.get(c.connection) ?? []), c]);
  return [...byConnection.values()].map((statements) => {
    const steps: Step[] = [];
    let open: { query: string; params: unknown[] }[] | null = null;
    for (const { query, params } of statements) {
      const word = query.trim().split(/\s+/)[0]?.toLowerCase();
      if (word === 'begin') open = [];
      else if (word === 'commit' || word === 'rollback') {
        if (open) steps.push({ transaction: open });
        open = null;
      } else if (open) open.push({ query, params });
      else steps.push({ query, params });
    }
    return steps;
  });
}

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
};
const fmt = (n: number) => n.toFixed(1).padStart(7);

async function main() {
  const { values } = parseArgs({
    options: {
      prepare: { type: 'boolean' },
      tickets: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '60' },
      http: { type: 'string' },
    },
  });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL database (a scratch one with --prepare).');
  if (values.prepare) await prepare(url, Number(values.tickets));
  const runs = Number(values.runs);

  // The app's own stack (drizzle over postgres.js), with every query it sends captured for the bare runs.
  let capture: Captured[] | null = null;
  const client = postgres(url, {
    max: 10,
    onnotice: () => {},
    debug: (connection, query, params) => capture?.push({ connection, query, params: params as unknown[] }),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  setDbHandle({ db, kind: 'postgres', close: () => client.end(), listen: async () => async () => {}, renew: () => {} });
  const bare = postgres(url, { max: 10, onnotice: () => {} });

  const [agent] = await db.select().from(staffUsers).where(eq(staffUsers.email, 'agent@demo.test'));
  if (!agent) throw new Error('No agent@demo.test: seed the database first (--prepare).');
  const ctx: Ctx = { kind: 'staff', userId: agent.id, sessionIssuedAt: Math.floor(Date.now() / 1000), origin: { via: 'cli' } };
  const [{ n: ticketCount } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(tickets);
  const sample = await db.execute(
    sql`select c.username, t.id from tickets t join customers c on c.id = t.customer_id where t.order_id is not null order by t.id desc limit 1 offset 5000`,
  );
  const { username, id: ticketId } = (sample as unknown as { username: string; id: number }[])[0]!;

  const scenarios: [string, () => Promise<unknown>][] = [
    ['queue: first page', () => listQueue(ctx, {})],
    ['queue: filtered page', () => listQueue(ctx, { claim: 'drop', assignee: 'unassigned', sort: 'amount' })],
    ['queue: search', () => listQueue(ctx, { q: username.slice(0, 8), status: 'all' })],
    ['ticket page', () => getTicketDetail(ctx, ticketId)],
  ];

  const lines: string[] = [];
  const out = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  out(`| scenario | app median ms | app p95 ms | bare SQL median ms | bare SQL p95 ms | app ÷ bare (median) |`);
  out(`|---|---:|---:|---:|---:|---:|`);
  for (const [name, run] of scenarios) {
    for (let i = 0; i < 5; i += 1) await run();
    const app: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const start = performance.now();
      await run();
      app.push(performance.now() - start);
    }
    // The same statements, sent the same way (one batch in parallel, as the app does), without the app.
    capture = [];
    await run();
    const connections = plan(capture);
    capture = null;
    const bareMs: number[] = [];
    for (let i = 0; i < runs + 5; i += 1) {
      const start = performance.now();
      await Promise.all(
        connections.map(async (steps) => {
          for (const step of steps) {
            if ('transaction' in step)
              await bare.begin(async (tx) => {
                for (const s of step.transaction) await tx.unsafe(s.query, s.params as never[]);
              });
            else await bare.unsafe(step.query, step.params as never[]);
          }
        }),
      );
      if (i >= 5) bareMs.push(performance.now() - start);
    }
    const a = stats(app);
    const b = stats(bareMs);
    out(`| ${name} | ${fmt(a.median)} | ${fmt(a.p95)} | ${fmt(b.median)} | ${fmt(b.p95)} | ${(a.median / b.median).toFixed(2)}× |`);
  }

  if (values.http) lines.push('', ...(await httpRuns(values.http, runs, ticketId)));

  const header = [
    `# Queue benchmark`,
    ``,
    `${new Date().toISOString().slice(0, 10)} · ${ticketCount.toLocaleString('en')} tickets · PostgreSQL · ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length} · Node ${process.version} · ${runs} runs each`,
    ``,
    `App: the core function the page calls (auth re-check, queries, mapping) in-process. Bare SQL: the exact statements it sent, replayed through postgres.js.`,
    ``,
  ];
  writeFileSync(path.join(__dirname, 'results.md'), [...header, ...lines, ''].join('\n'));
  await client.end();
  await bare.end();
}

/** Whole responses from a running production server: sign in through next-auth, then time pages. */
async function httpRuns(base: string, runs: number, ticketId: number): Promise<string[]> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const signIn = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({
      csrfToken,
      email: 'agent@demo.test',
      password: process.env.DEMO_PASSWORD ?? 'demo-password',
      json: 'true',
    }),
  });
  const session = [cookies, ...signIn.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
  const lines = ['| page (HTTP, whole response) | median ms | p95 ms |', '|---|---:|---:|'];
  let queueHtml = '';
  for (const [name, pagePath] of [
    ['/tickets', '/tickets'],
    ['/tickets filtered', '/tickets?claim=drop&assignee=unassigned&sort=amount'],
    [`/tickets/${ticketId}`, `/tickets/${ticketId}`],
  ] as const) {
    const ms: number[] = [];
    for (let i = 0; i < runs + 3; i += 1) {
      const start = performance.now();
      const response = await fetch(`${base}${pagePath}`, { headers: { cookie: session }, redirect: 'manual' });
      const html = await response.text();
      if (response.status !== 200) throw new Error(`${pagePath}: HTTP ${response.status}`);
      if (i >= 3) ms.push(performance.now() - start);
      if (pagePath === '/tickets') queueHtml = html;
    }
    const s = stats(ms);
    lines.push(`| ${name} | ${fmt(s.median)} | ${fmt(s.p95)} |`);
  }
  const scripts = [...queueHtml.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  let gzip = 0;
  for (const src of new Set(scripts)) gzip += gzipSync(Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())).length;
  lines.push('', `JavaScript sent for the queue page: ${scripts.length} scripts, ${(gzip / 1024).toFixed(1)} KB gzip.`);
  return lines;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
