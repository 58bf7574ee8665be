/**
 * `npm run apikey:create -- --name panel --scopes intake:write,tickets:read [--expires 2027-01-01]`:
 * the command line's core, as the system actor (`system:cli:apikey:create` in the audit log).
 * Prints the new key (once) and returns the exit code: 0 made, 1 refused (a sentence why), 2 usage.
 */
import { parseArgs } from 'node:util';
import { systemCtx } from '@/lib/auth/actor';
import { API_KEY_SCOPES } from '@/lib/auth/permissions';
import { isAppError } from '@/lib/errors';
import { issueApiKey } from './keys';
import { apiKeyScopeChoices } from './scopes';

export interface Output {
  log: (line: string) => void;
  error: (line: string) => void;
}

export const APIKEY_CREATE_USAGE = [
  'Usage: npm run apikey:create -- --name NAME --scopes SCOPE[,SCOPE…] [--expires YYYY-MM-DD]',
  'Scopes:',
  ...apiKeyScopeChoices().map(({ scope, grants }) => `  ${scope}  ${grants.join('; ') || '(grants nothing yet)'}`),
].join('\n');

export async function runApiKeyCreate(argv: string[], out: Output = console): Promise<number> {
  let values: { name?: string; scopes?: string; expires?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { name: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    out.error(`${(error as Error).message}\n${APIKEY_CREATE_USAGE}`);
    return 2;
  }
  if (values.help) {
    out.log(APIKEY_CREATE_USAGE);
    return 0;
  }
  if (!values.name || !values.scopes) {
    out.error(`Give the key a --name and its --scopes (${API_KEY_SCOPES.join(', ')}).\n${APIKEY_CREATE_USAGE}`);
    return 2;
  }
  try {
    const key = await issueApiKey(systemCtx('cli:apikey:create', 'cli'), {
      name: values.name,
      scopes: values.scopes,
      expiresAt: values.expires,
    });
    out.log(
      `Created API key "${key.name}" (id ${key.id}, ${key.prefix}…) with scopes ${key.scopes.join(', ')}${
        key.expiresAt ? `, expiring ${key.expiresAt.toISOString()}` : ', no expiry'
      }.`,
    );
    out.log(key.plaintext);
    out.log('It is shown only now and never stored: keep it in the caller’s secrets (Authorization: Bearer <key>).');
    return 0;
  } catch (error) {
    if (!isAppError(error)) throw error;
    out.error(error.message);
    return 1;
  }
}
