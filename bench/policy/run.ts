/**
 * `npm run bench:policy`: evaluations per second of the policy check on one core over a realistic
 * mix (see cases.ts), and the `--jsonl` command over 100,000 generated lines. Prints a table and
 * writes bench/policy/results.md. `--strict` exits 1 when the in-process rate is below the target.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkPolicy, checkPolicyParsed, parsePolicyInput, policyInputSchema } from '../../lib/policy';
import { generateCases } from './cases';

const ROOT = path.resolve(__dirname, '..', '..');
const TARGET = 200_000;
const DISTINCT = 20_000;
const PER_ROUND = 100_000;
const ROUNDS = 11;
const CLI_LINES = 100_000;

interface Rate {
  name: string;
  /** calls per second of this process's CPU time (one core: the loop is single-threaded) */
  cpuMedian: number;
  cpuBest: number;
  /** calls per second of wall time (lower when other processes share the machine) */
  wallMedian: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Rates over several rounds; one round = `perRound` calls cycling through `items`. */
function measure<T>(name: string, items: readonly T[], fn: (item: T) => unknown, perRound = PER_ROUND): Rate {
  let sink = 0;
  for (let i = 0; i < perRound / 2; i++) sink += fn(items[i % items.length] as T) === undefined ? 0 : 1; // warm-up
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    const used = process.cpuUsage();
    for (let i = 0; i < perRound; i++) sink += fn(items[i % items.length] as T) === undefined ? 0 : 1;
    const { user, system } = process.cpuUsage(used);
    wall.push(perRound / (Number(process.hrtime.bigint() - start) / 1e9));
    cpu.push(perRound / ((user + system) / 1e6));
  }
  if (sink === 0) throw new Error('nothing measured');
  return { name, cpuMedian: median(cpu), cpuBest: Math.max(...cpu), wallMedian: median(wall) };
}

/** Spawns the `--jsonl` command on a file of `lines` and counts the answers. */
async function measureCli(lines: readonly string[]): Promise<{ seconds: number; answered: number; errors: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'policy-bench-'));
  const file = path.join(dir, 'cases.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  try {
    const start = process.hrtime.bigint();
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/policy-check.ts', '--jsonl'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    createReadStream(file).pipe(child.stdin);
    let answered = 0;
    let errors = 0;
    let tail = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const text = tail + chunk;
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        answered++;
        if (text.startsWith('{"error"', from)) errors++;
        from = nl + 1;
      }
      tail = text.slice(from);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (code !== 0) throw new Error(`policy-check --jsonl exited ${code}`);
    return { seconds, answered, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const strict = process.argv.includes('--strict');
  const cases = generateCases(DISTINCT);
  const parsed = cases.map((c) => parsePolicyInput(c));
  const json = cases.map((c) => JSON.stringify(c));

  const outcomes = new Map<string, number>();
  for (const p of parsed) {
    const o = checkPolicyParsed(p).outcome;
    outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
  }

  const rates: Rate[] = [
    measure('validate + check + alternatives (checkPolicy)', cases, (c) => checkPolicy(c)),
    measure('validate only (parsePolicyInput)', cases, (c) => parsePolicyInput(c)),
    measure('check only (checkPolicyParsed)', parsed, (p) => checkPolicyParsed(p)),
    measure('JSON line → decision JSON', json, (line) => JSON.stringify(checkPolicy(JSON.parse(line)))),
    measure('zod schema parse (reference)', cases, (c) => policyInputSchema.parse(c), PER_ROUND / 4),
  ];
  const headline = rates[0]?.cpuMedian ?? 0;

  const cliLines = generateCases(CLI_LINES, 7).map((c) => JSON.stringify(c));
  const cli = await measureCli(cliLines);

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const date = new Date().toISOString();
  const mix = [...outcomes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([o, n]) => `${o} ${((n / parsed.length) * 100).toFixed(1)}%`)
    .join(', ');

  const table = [
    '| measure | per CPU-second, median | per CPU-second, best | per wall-second, median |',
    '| --- | ---: | ---: | ---: |',
    ...rates.map((r) => `| ${r.name} | ${fmt(r.cpuMedian)} | ${fmt(r.cpuBest)} | ${fmt(r.wallMedian)} |`),
  ].join('\n');
  const cliLine = `\`policy:check --jsonl\` on ${fmt(CLI_LINES)} lines: ${cli.seconds.toFixed(2)} s wall including tsx start-up, ${fmt(cli.answered / cli.seconds)} lines/s`;
  const verdict = headline >= TARGET ? 'met' : 'NOT met';

  const report = `# Policy check benchmark

- date: ${date}
- node: ${process.version}
- CPU: ${cpu} (${os.cpus().length} logical; the benchmark runs on one)
- cases: ${fmt(DISTINCT)} distinct generated inputs (bench/policy/cases.ts: order claims ~76%, payment ~14%, other and never-remedied ~10%)
- outcomes of the mix: ${mix}
- load average when done: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}
- rounds: ${ROUNDS} × ${fmt(PER_ROUND)} calls after a warm-up, in one thread; rates per second of the
  process's CPU time (what one core does, even when other processes share the machine) and of wall time

${table}

${cliLine} (${fmt(cli.answered)} answers, ${fmt(cli.errors)} errors).

Target ≥ ${fmt(TARGET)} evaluations/s on one core (validate + check + alternatives, median per CPU-second): **${verdict}** (${fmt(headline)}/s).
`;
  writeFileSync(path.join(__dirname, 'results.md'), report);
  process.stdout.write(`${table}\n\n${cliLine}\ntarget ${fmt(TARGET)}/s on one core: ${verdict}; written to bench/policy/results.md\n`);
  if (strict && headline < TARGET) process.exitCode = 1;
  if (cli.answered !== CLI_LINES || cli.errors !== 0) {
    process.stderr.write(`expected ${CLI_LINES} answers without errors, got ${cli.answered} (${cli.errors} errors)\n`);
    process.exitCode = 1;
  }
}

void main();
