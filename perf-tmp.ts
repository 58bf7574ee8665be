import { readdirSync, readFileSync } from 'node:fs';
import { checkPolicyParsed, parsePolicyInput } from '@/lib/policy';
const inputs = readdirSync('lib/policy/examples').map(f => JSON.parse(readFileSync('lib/policy/examples/' + f, 'utf8')).input);
const parsed = inputs.map(i => parsePolicyInput(i));
for (let j = 0; j < parsed.length; j++) {
  const p = parsed[j]!;
  for (let i = 0; i < 20000; i++) checkPolicyParsed(p);
  const n = 100000; const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) checkPolicyParsed(p);
  console.log(j + 1, Math.round(n / (Number(process.hrtime.bigint() - t) / 1e9)));
}
