/**
 * npm run staff:create -- --email a@example.com --name "A. Admin" --role admin [--password-stdin]
 *
 * Creates a staff account without SQL: the first admin of a fresh production database, or anyone
 * when no admin can sign in. Prints a one-time password, which must be changed at first sign-in;
 * with --password-stdin the password is read from the first line of standard input instead (the
 * same rules: at least 12 characters, not a common password). Refuses an email that already has an
 * account. Audited as the command line (`system:cli:staff:create`); the password is never logged.
 */
import { parseArgs } from 'node:util';
import { getDbHandle } from '@/db';
import { systemCtx } from '@/lib/auth/actor';
import { isAppError } from '@/lib/errors';
import { createStaffAccount } from '@/lib/staff';

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  if (!values.email || !values.name) {
    console.error('Usage: npm run staff:create -- --email EMAIL --name NAME [--role admin|supervisor|agent] [--password-stdin]');
    process.exitCode = 2;
    return;
  }
  const password = values['password-stdin'] ? await readStdinLine() : undefined;
  const handle = await getDbHandle();
  try {
    const { user, oneTimePassword } = await createStaffAccount(
      systemCtx('cli:staff:create', 'cli'),
      { email: values.email, name: values.name, role: values.role },
      { password },
    );
    console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
    if (oneTimePassword) {
      console.log(`One-time password: ${oneTimePassword}`);
      console.log('It is shown only now. Sign in with it and set a new password (at least 12 characters).');
    } else {
      console.log('Sign in with the password given on standard input.');
    }
  } catch (error) {
    if (!isAppError(error)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
