/**
 * Evidence benchmark, on PostgreSQL (a scratch database `rd_bench_evidence`, dropped at the end):
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:evidence [-- --runs 10 --rows 1000000 --keep]
 *
 * 1. Upload-to-stored time through the real API route (multipart streamed to a temporary file, type
 *    sniffed, sharp decode + re-encode + thumbnail + pHash, stored, row committed, 201 answered) for
 *    a ~5 MB JPEG photo and a 20-megapixel PNG screenshot: median and p95, on the local folder and on
 *    an S3-compatible server (s3rver, started here in this process).
 * 2. The process's peak memory (RSS, sampled every 10 ms) while 10 uploads of the JPEG run at once,
 *    above the RSS before them. Client and server share the process: the 10 request bodies (~50 MB)
 *    are counted too.
 * 3. The reuse lookup (lib/evidence/reuse.ts stage 1: the band index) at `--rows` evidence rows with
 *    random hashes: median and p95 of 200 lookups.
 * `os.loadavg()` is printed beside every figure (2 shared cores: read figures against it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NextRequest } from 'next/server';
import S3rver from 's3rver';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { migrate, openPostgres, queryRows, setDbHandle } from '@/db';
import { freshScratchDatabase, dropScratchDatabase } from '../scratch-db';
import { createApiKey } from '@/lib/intake/api-keys';
import { createBareTicket } from '@/lib/tickets/test-factories';
import { reuseCandidates } from '@/lib/evidence/reuse';
import { multipartBody } from '@/lib/evidence/test-upload';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    rows: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
  },
});
const DB_NAME = 'rd_bench_evidence';
const RUNS = Number(values.runs);
const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function photoJpeg(): Promise<Buffer> {
  // Noise compresses badly, as a phone photo does: about 5 MB at 3000 × 2250.
  return sharp({
    create: { width: 3000, height: 2250, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  })
    .jpeg({ quality: 88 })
    .toBuffer();
}

async function screenshotPng(): Promise<Buffer> {
  // 5000 × 4000 = 20 MP: flat panels and text, as a desktop screenshot.
  const rows = Array.from(
    { length: 60 },
    (_, i) =>
      `<rect x="200" y="${200 + i * 60}" width="4600" height="50" fill="${i % 2 ? '#f4f4f5' : '#ffffff'}"/><text x="240" y="${236 + i * 60}" font-size="32" font-family="sans-serif">Order ${100000 + i * 37} · Instagram Followers · ${(i * 13) % 1000} delivered · $${(i * 1.7).toFixed(2)}</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="5000" height="4000"><rect width="5000" height="4000" fill="#e4e4e7"/><rect width="5000" height="150" fill="#4f46e5"/>${rows}</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
}

async function main() {
  const handle = await openPostgres(await freshScratchDatabase(DB_NAME), 16);
  const localDir = mkdtempSync(path.join(tmpdir(), 'rd-bench-evidence-'));
  const s3Dir = mkdtempSync(path.join(tmpdir(), 'rd-bench-s3rver-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: 'bench' }] });
  try {
    await migrate(handle);
    setDbHandle(handle);
    process.env.EVIDENCE_DIR = localDir;
    process.env.NEXTAUTH_URL ??= 'http://localhost:3000';
    const { POST } = await import('@/app/api/v1/tickets/[id]/evidence/route');
    const key = (await createApiKey(handle.db, { name: 'bench', scopes: ['evidence:write'] })).plaintext;
    const [jpeg, png] = await Promise.all([photoJpeg(), screenshotPng()]);
    console.log(`node ${process.version}, ${cpus().length} cores, sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`);
    console.log(`inputs: JPEG ${(jpeg.length / 1e6).toFixed(1)} MB 3000×2250; PNG ${(png.length / 1e6).toFixed(1)} MB 5000×4000 (20 MP)`);

    let n = 0;
    const upload = async (bytes: Buffer, name: string) => {
      const { ticket } = await createBareTicket(handle.db);
      const { body, contentType } = multipartBody([{ field: 'file', filename: name, bytes }]);
      const started = performance.now();
      const response = await POST(
        new NextRequest(`http://localhost/api/v1/tickets/${ticket.id}/evidence`, {
          method: 'POST',
          body: new Uint8Array(body),
          headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'idempotency-key': `bench-${++n}-${Date.now()}` },
        }),
        { params: Promise.resolve({ id: String(ticket.id) }) },
      );
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`upload answered ${response.status}`);
      return performance.now() - started;
    };

    const series = async (label: string, bytes: Buffer, name: string) => {
      await upload(bytes, name); // warm-up
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await upload(bytes, name));
      times.sort((a, b) => a - b);
      console.log(`${label.padEnd(28)} median ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))} (${RUNS} runs)   ${load()}`);
    };

    console.log('\nupload-to-stored (API route, in process)');
    await series('local · 5 MB JPEG', jpeg, 'photo.jpg');
    await series('local · 20 MP PNG', png, 'screen.png');
    const { port } = await s3.run();
    Object.assign(process.env, {
      EVIDENCE_S3_BUCKET: 'bench',
      EVIDENCE_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      EVIDENCE_S3_ACCESS_KEY_ID: 'S3RVER',
      EVIDENCE_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    await series('s3rver · 5 MB JPEG', jpeg, 'photo.jpg');
    await series('s3rver · 20 MP PNG', png, 'screen.png');
    delete process.env.EVIDENCE_S3_BUCKET;

    console.log('\nmemory: 10 uploads of the 5 MB JPEG at once (local)');
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const started = performance.now();
    await Promise.all(Array.from({ length: 10 }, () => upload(jpeg, 'photo.jpg')));
    clearInterval(sampler);
    console.log(
      `RSS before ${(before / 1e6).toFixed(0)} MB, peak ${(peak / 1e6).toFixed(0)} MB, growth ${((peak - before) / 1e6).toFixed(0)} MB; all 10 stored in ${ms(performance.now() - started)}   ${load()}`,
    );

    const rows = Number(values.rows);
    console.log(`\nreuse lookup at ${rows.toLocaleString('en')} evidence rows (PostgreSQL)`);
    const fillStarted = performance.now();
    const customers = 1000;
    await handle.db.execute(sql`insert into customers (external_id, username, email)
      select 'bench-c-' || g, 'bench_c_' || g, 'bench_c_' || g || '@bench.example' from generate_series(1, ${customers}) g`);
    await handle.db.execute(sql`insert into tickets (customer_id, claim, opened_at)
      select c.id, 'other', now() from customers c where c.external_id like 'bench-c-%'`);
    await handle.db.execute(sql`
      insert into evidence (ticket_id, sha256, mime_type, size_bytes, storage_key, original_name, uploaded_at, phash, phash_band0, phash_band1, phash_band2, phash_band3)
      select t.id, md5(g::text) || md5(g::text), 'image/png', 1000, md5(g::text) || md5(g::text), 'bench.png', now(), p,
             ((p >> 48) & 65535)::int, ((p >> 32) & 65535)::int, ((p >> 16) & 65535)::int, (p & 65535)::int
      from (select g, (floor(random() * 4294967296)::bigint << 32) | floor(random() * 4294967296)::bigint as p,
                   (select min(id) from tickets) + (g % ${customers}) as tid
            from generate_series(1, ${rows}) g) s
      join tickets t on t.id = s.tid`);
    await handle.db.execute(sql`analyze evidence`);
    const [{ total } = { total: 0 }] = await queryRows<{ total: number }>(handle.db, sql`select count(*)::int as total from evidence`);
    console.log(`filled ${total.toLocaleString('en')} rows in ${ms(performance.now() - fillStarted)}   ${load()}`);
    const probes = await queryRows<{ phash: string }>(
      handle.db,
      sql`select phash::text from evidence where phash is not null order by random() limit 200`,
    );
    const times: number[] = [];
    let found = 0;
    for (const [i, probe] of probes.entries()) {
      // Half exact, half with 5 bits flipped: both must be found.
      let hash = BigInt.asUintN(64, BigInt(probe.phash));
      if (i % 2) for (const bit of [3, 19, 35, 51, 60]) hash ^= 1n << BigInt(bit);
      const t0 = performance.now();
      const candidates = await reuseCandidates(handle.db, hash, { evidenceId: 0, customerId: 0 });
      times.push(performance.now() - t0);
      if (candidates.length) found++;
    }
    times.sort((a, b) => a - b);
    console.log(
      `lookup median ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms over ${times.length} lookups; ${found} of ${probes.length} found   ${load()}`,
    );
    const plan = await queryRows<{ 'QUERY PLAN': string }>(
      handle.db,
      sql`explain select id from evidence where phash_band0 = any(array[1,2,3]::int[]) or phash_band1 = any(array[1,2,3]::int[]) or phash_band2 = any(array[1,2,3]::int[]) or phash_band3 = any(array[1,2,3]::int[])`,
    );
    console.log(
      `plan: ${plan
        .map((r) => r['QUERY PLAN'].trim())
        .filter((l) => /Scan|BitmapOr/.test(l))
        .slice(0, 3)
        .join(' | ')}`,
    );
  } finally {
    await s3.close().catch(() => {});
    await handle.close();
    if (!values.keep) await dropScratchDatabase(DB_NAME);
    rmSync(localDir, { recursive: true, force: true });
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
