/**
 * npm run db:seed -- [--tickets N] [--seed S] [--anchor YYYY-MM-DD]
 *
 * Fills a migrated, empty database with demo data (and the decision history of its resolved tickets): PostgreSQL when DATABASE_URL is set (written
 * with COPY), otherwise the embedded PGlite database in .data/pglite. Refuses (exit 1) when the
 * database already has data.
 */
import { parseArgs } from 'node:util';
import { openConfiguredDb } from '@/db';
import { suggestFor } from '@/lib/tickets/suggestion';
import { SeedRefusedError, demoPassword, parseAnchor, seedDemo } from '@/lib/demo';

const USAGE = 'Usage: npm run db:seed -- [--tickets N] [--seed S] [--anchor YYYY-MM-DD]';

function parse() {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      anchor: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const tickets = wholeNumber('--tickets', values.tickets);
  const seed = wholeNumber('--seed', values.seed);
  return { tickets, seed, anchor: parseAnchor(values.anchor) };
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text.replace(/_/g, ''));
  if (!/^\d[\d_]*$/.test(text) || !Number.isSafeInteger(value)) {
    console.error(`${flag} must be a whole number ≥ 0, not "${text}"\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

async function main() {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const handle = await openConfiguredDb();
  try {
    // The stored policy suggestion and eligibility deadline, as the demo and the e2e server store them:
    // without them the queue's suggestion filters, deadline and Next ticket have nothing to work on.
    // Then the decision history of the resolved tickets, as the demo has it (quality page, audit log).
    const result = await seedDemo(handle, {
      ...args,
      log: (line) => console.log(line),
      annotate: (facts, { now }) => suggestFor(facts, now),
    });
    console.log(`\nRows made: ${JSON.stringify({ ...result.counts, decisions: result.decisions }, null, 2)}`);
    console.log(`Elapsed ${result.seconds.toFixed(1)} s, peak RSS ${result.peakRssMb} MB, anchor ${result.anchor}.`);
    console.log(`Demo logins (password "${demoPassword()}"): agent@demo.test, agent2@demo.test, supervisor@demo.test, admin@demo.test`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof SeedRefusedError || error instanceof RangeError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
