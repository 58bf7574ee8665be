/**
 * npm run bench:queue — server time of the queue and the ticket page on PostgreSQL, next to the bare
 * SQL of the same queries, and what the pages send.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/rd_bench_queue npm run bench:queue -- --prepare
 *   DATABASE_URL=… npm run bench:queue [-- --runs 60 --http http://localhost:3000 [--http http://localhost:3001]] [--write]
 *
 * `--prepare` recreates that (scratch) database with 1,000,000 seeded tickets first. `--http` also
 * measures whole page responses and their weight (HTML, the flight payload inside it and fetched on
 * its own, gzip) from a production server running on the same database; given twice, the two
 * servers (say main and a branch) are asked in turn, request by request, so both see the same load.
 * Prints the results; `--write` also writes them to bench/queue/results.md. The load average is
 * printed beside each figure: the machine may be shared.
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
      http: { type: 'string', multiple: true },
      write: { type: 'boolean' },
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

  // Page 20 as the queue's "Next 50" link reaches it: the previous page's cursor in `after`.
  let after: string | undefined;
  for (let page = 1; page < 20; page += 1) after = (await listQueue(ctx, after ? { after } : {})).nextCursor ?? undefined;
  if (!after) throw new Error('The queue has fewer than 20 pages: seed more tickets (--prepare).');

  const scenarios: [string, () => Promise<unknown>][] = [
    ['queue: first page', () => listQueue(ctx, {})],
    ['queue: page 20', () => listQueue(ctx, { after })],
    ['queue: filtered page', () => listQueue(ctx, { claim: 'drop', assignee: 'unassigned', sort: 'amount' })],
    ['queue: search', () => listQueue(ctx, { q: username.slice(0, 8), status: 'all' })],
    ['ticket page', () => getTicketDetail(ctx, ticketId)],
  ];

  const lines: string[] = [];
  const out = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  out(`| scenario | app median ms | app p95 ms | bare SQL median ms | bare SQL p95 ms | app ÷ bare (median) | load avg |`);
  out(`|---|---:|---:|---:|---:|---:|---|`);
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
    out(
      `| ${name} | ${fmt(a.median)} | ${fmt(a.p95)} | ${fmt(b.median)} | ${fmt(b.p95)} | ${(a.median / b.median).toFixed(2)}× | ${loadavg()} |`,
    );
  }

  if (values.http?.length) for (const line of ['', ...(await httpRuns(values.http, runs, ticketId))]) out(line);

  const header = [
    `# Queue benchmark`,
    ``,
    `${new Date().toISOString().slice(0, 10)} · ${ticketCount.toLocaleString('en')} tickets · PostgreSQL · ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length} · Node ${process.version} · ${runs} runs each`,
    ``,
    `App: the core function the page calls (auth re-check, queries, mapping) in-process. Bare SQL: the exact statements it sent, replayed through postgres.js.`,
    ``,
  ];
  if (values.write) {
    writeFileSync(path.join(__dirname, 'results.md'), [...header, ...lines, ''].join('\n'));
    console.log('Written to bench/queue/results.md.');
  }
  await client.end();
  await bare.end();
}

const loadavg = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Signs the demo agent in through next-auth; returns the session's cookies. */
async function signIn(base: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const signedIn = await fetch(`${base}/api/auth/callback/credentials`, {
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
  return [cookies, ...signedIn.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
}

async function get(base: string, pagePath: string, cookie: string, headers: Record<string, string> = {}) {
  // A flight request may be redirected to the same address with its cache-busting `_rsc` parameter.
  const response = await fetch(`${base}${pagePath}`, { headers: { cookie, ...headers }, redirect: headers.rsc ? 'follow' : 'manual' });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${base}${pagePath}: HTTP ${response.status}`);
  return body;
}

/** The queue's "Next 50" link on a page, as the browser would follow it. */
function nextLink(html: string): string {
  const anchor = /<a\b[^>]*\brel="next"[^>]*>/.exec(html)?.[0];
  const href = anchor && /\bhref="([^"]+)"/.exec(anchor)?.[1];
  if (!href) throw new Error('The queue page has no "Next 50" link.');
  return href.replaceAll('&amp;', '&');
}

/** What a page weighs: the HTML, the flight payload inlined in it (`self.__next_f.push`), and the flight payload a client navigation fetches. */
async function weigh(base: string, pagePath: string, cookie: string) {
  const html = await get(base, pagePath, cookie);
  const inlineFlight = [...html.matchAll(/<script[^>]*>(self\.__next_f\.push\([\s\S]*?)<\/script>/g)].reduce(
    (sum, m) => sum + Buffer.byteLength(m[1]!),
    0,
  );
  // A client navigation's request (no router state tree: the whole page, as on a hard navigation).
  const rsc = await get(base, pagePath, cookie, { rsc: '1' }).catch(() => null);
  const bytes = Buffer.byteLength(html);
  return {
    html: bytes,
    gzip: gzipSync(html).length,
    inlineFlight,
    markup: bytes - inlineFlight,
    rsc: rsc === null ? null : Buffer.byteLength(rsc),
    rscGzip: rsc === null ? null : gzipSync(rsc).length,
  };
}

/**
 * Whole responses from running production servers (one, or two asked in turn): sign in through
 * next-auth, find page 20 by following "Next 50" as an agent would, then time and weigh the pages.
 */
async function httpRuns(bases: string[], runs: number, ticketId: number): Promise<string[]> {
  const sessions = await Promise.all(bases.map((base) => signIn(base)));
  const [base0, session0] = [bases[0]!, sessions[0]!];
  let page20 = '/tickets';
  for (let page = 1; page < 20; page += 1) page20 = nextLink(await get(base0, page20, session0));
  const pages = [
    ['/tickets', '/tickets'],
    ['/tickets filtered', '/tickets?claim=drop&assignee=unassigned&sort=amount'],
    ['/tickets page 20', page20],
    [`/tickets/${ticketId}`, `/tickets/${ticketId}`],
  ] as const;
  const server = (i: number) => (bases.length > 1 ? ` | ${bases[i]}` : '');
  const serverHead = bases.length > 1 ? ' | server' : '';
  const serverRule = bases.length > 1 ? '|---' : '';

  const lines = [`| page (HTTP, whole response)${serverHead} | median ms | p95 ms | load avg |`, `|---${serverRule}|---:|---:|---|`];
  for (const [name, pagePath] of pages) {
    const ms: number[][] = bases.map(() => []);
    for (let i = 0; i < runs + 3; i += 1) {
      for (const [b, base] of bases.entries()) {
        const start = performance.now();
        await get(base, pagePath, sessions[b]!);
        if (i >= 3) ms[b]!.push(performance.now() - start);
      }
    }
    const load = loadavg();
    for (const b of bases.keys()) {
      const s = stats(ms[b]!);
      lines.push(`| ${name}${server(b)} | ${fmt(s.median)} | ${fmt(s.p95)} | ${load} |`);
    }
  }

  lines.push(
    '',
    `| page weight${serverHead} | HTML | of it: inline flight | of it: markup | HTML gzip | flight fetched alone (RSC: 1) | its gzip |`,
    `|---${serverRule}|---:|---:|---:|---:|---:|---:|`,
  );
  for (const [name, pagePath] of pages) {
    for (const [b, base] of bases.entries()) {
      const w = await weigh(base, pagePath, sessions[b]!);
      lines.push(
        `| ${name}${server(b)} | ${kb(w.html)} | ${kb(w.inlineFlight)} | ${kb(w.markup)} | ${kb(w.gzip)} | ${w.rsc === null ? '—' : kb(w.rsc)} | ${w.rscGzip === null ? '—' : kb(w.rscGzip)} |`,
      );
    }
  }

  for (const [b, base] of bases.entries()) {
    const queueHtml = await get(base, '/tickets', sessions[b]!);
    const scripts = [...queueHtml.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    let gzip = 0;
    for (const src of new Set(scripts)) gzip += gzipSync(Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())).length;
    lines.push(
      '',
      `JavaScript sent for the queue page${bases.length > 1 ? ` by ${base}` : ''}: ${scripts.length} scripts, ${kb(gzip)} gzip.`,
    );
  }
  return lines;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
