/**
 * What a new password must be, after NIST SP 800-63B (§3.1.1.2): long enough, not on a list of
 * common and breached passwords, not the account's own name or email; no composition rules (no
 * "one digit, one symbol") and no forced rotation. The list ships with the project
 * (./common-passwords.txt, 10,000 entries); nothing is looked up over the network.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MIN_PASSWORD_LENGTH } from '@/lib/validation/staff';

export { MIN_PASSWORD_LENGTH };
export const MAX_PASSWORD_LENGTH = 200;

let common: Set<string> | undefined;

/** The shipped list, read once per process (lower case, comments skipped). */
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(path.join(process.cwd(), 'lib/auth/common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  );
  return common;
}

/** The password with digits and punctuation stripped from both ends: "Password2024!" → "password". */
const core = (password: string) => password.toLowerCase().replace(/^[\d\W_]+|[\d\W_]+$/gu, '');

/** Characters as the person typed them (code points), for the length rule. */
const length = (password: string) => [...password].length;

/**
 * The sentence that says why `password` cannot be used, or null when it can. `about` is the
 * account's own email and name, which a password must not be built on.
 */
export function passwordProblem(password: string, about: { email?: string; name?: string } = {}): string | null {
  if (length(password) < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters; a few ordinary words in a row make a strong, memorable password.`;
  if (length(password) > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const list = commonPasswords();
  const lower = password.toLowerCase();
  if (list.has(lower) || list.has(lower.replace(/\s+/g, '')))
    return 'That password is on a list of common and breached passwords that attackers try first; choose another.';
  const stem = core(password);
  if (stem.length >= 3 && list.has(stem))
    return `That password is a common one ("${stem}") with characters added; attackers try those first. Choose another.`;
  if (/^(.)\1+$/u.test(password) || /^(.{1,4})\1+$/u.test(lower))
    return 'That password repeats a few characters; choose something less predictable.';
  const local = about.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'That password contains your email address; choose another.';
  const name = about.name?.trim().toLowerCase().replace(/\s+/g, '');
  if (name && name.length >= 4 && lower.replace(/\s+/g, '').includes(name)) return 'That password contains your name; choose another.';
  return null;
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password: four groups of four unambiguous characters (about 79 bits), e.g. `k7mq-2xhp-9tfw-rb3c`. */
export function generateOneTimePassword(): string {
  const group = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}
