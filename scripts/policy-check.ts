/**
 * The policy check on the command line (CONTRACT.md):
 *
 *   npm run --silent policy:check < case.json               decision JSON on stdout, exit 0;
 *                                                             bad input: `field: problem` on stderr, exit 2
 *   npm run --silent policy:check -- --jsonl < cases.jsonl  one decision a line, in order; a bad line
 *                                                             gets {"error": "..."}; blank lines skipped; exit 0
 *
 * The input is the bare `input` object of a case (not an example file with `input`/`expect`).
 */
import { checkPolicy, PolicyInputError } from '../lib/policy';

const USAGE = 'usage: policy-check [--jsonl] < input';
const FLUSH_AT = 64 * 1024;

const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** JSON.parse, or a PolicyInputError naming the input as the field. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new PolicyInputError('input', `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function decide(text: string): string {
  return JSON.stringify(checkPolicy(parseJson(text)));
}

/** Collects output and writes it in large chunks, waiting when stdout is full. */
class BufferedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  /** Queues a line; true when enough is queued that the caller should `flush`. */
  push(line: string): boolean {
    this.parts.push(line);
    this.size += line.length;
    return this.size >= FLUSH_AT;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }
}

function answerLine(line: string): string {
  try {
    return `${decide(line)}\n`;
  } catch (err) {
    const message = err instanceof PolicyInputError ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
    return `${JSON.stringify({ error: message })}\n`;
  }
}

/** One case a line, answered as the lines stream in. */
async function runJsonl(): Promise<number> {
  const writer = new BufferedWriter(process.stdout);
  process.stdin.setEncoding('utf8');
  let rest = '';
  let first = true;
  for await (const chunk of process.stdin as AsyncIterable<string>) {
    const text = first ? withoutBom(chunk) : rest + chunk;
    first = false;
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      const line = text.slice(start, nl);
      if (line.trim() !== '' && writer.push(answerLine(line))) await writer.flush();
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  if (rest.trim() !== '') writer.push(answerLine(rest));
  await writer.flush();
  return 0;
}

async function readAll(): Promise<string> {
  process.stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of process.stdin as AsyncIterable<string>) text += chunk;
  return withoutBom(text);
}

async function runSingle(): Promise<number> {
  const text = await readAll();
  try {
    if (text.trim() === '') throw new PolicyInputError('input', 'empty; expected one JSON object on stdin');
    process.stdout.write(`${JSON.stringify(checkPolicy(parseJson(text)), null, 2)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof PolicyInputError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
}

async function main(args: readonly string[]): Promise<number> {
  if (args.length === 0) return runSingle();
  if (args.length === 1 && args[0] === '--jsonl') return runJsonl();
  process.stderr.write(`${args.includes('--help') || args.includes('-h') ? '' : `unknown arguments: ${args.join(' ')}\n`}${USAGE}\n`);
  return 2;
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0); // the reader went away: nothing left to do
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`policy-check: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
