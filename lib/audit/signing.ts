/**
 * The Ed25519 key that signs audit checkpoints: AUDIT_SIGNING_KEY (PKCS#8 PEM). Required on
 * PostgreSQL, like NEXTAUTH_SECRET; on the embedded database it is generated once into
 * `.data/audit-signing-key.pem`. Verifying needs only the public half: AUDIT_VERIFY_KEY (SPKI PEM)
 * when set, otherwise the one derived from the signing key.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from '@/lib/config';

type Env = Record<string, string | undefined>;

export class AuditKeyError extends Error {
  override name = 'AuditKeyError';
}

export const EMBEDDED_KEY_FILE = () => path.join(DATA_DIR, 'audit-signing-key.pem');

/** A new Ed25519 private key as PKCS#8 PEM (`npm run --silent audit:keygen`). */
export function generateAuditSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** PEM from an environment variable: real newlines, or `\n` escapes as many process managers need. */
const pemFromEnv = (value: string) => value.trim().replace(/\\n/g, '\n');

function parsePrivateKey(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new AuditKeyError(`${where} is not a PEM private key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AuditKeyError(`${where} must be an Ed25519 key (got ${key.asymmetricKeyType}).`);
  return key;
}

/**
 * The signing key: AUDIT_SIGNING_KEY; on PostgreSQL (DATABASE_URL set) a missing key is an error
 * with a clear message; on the embedded database a key is generated once into `.data/`.
 */
export function loadAuditSigningKey(env: Env = process.env): KeyObject {
  if (env.AUDIT_SIGNING_KEY) return parsePrivateKey(pemFromEnv(env.AUDIT_SIGNING_KEY), 'AUDIT_SIGNING_KEY');
  if (env.DATABASE_URL) {
    throw new AuditKeyError(
      'AUDIT_SIGNING_KEY is not set. On PostgreSQL the audit checkpoints must be signed with a key of your own: run `npm run --silent audit:keygen`, keep the printed PEM secret and set AUDIT_SIGNING_KEY to it (the same on every worker).',
    );
  }
  const file = EMBEDDED_KEY_FILE();
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, generateAuditSigningKeyPem(), { mode: 0o600 });
  }
  return parsePrivateKey(readFileSync(file, 'utf8'), file);
}

/** The key that checks checkpoint signatures: AUDIT_VERIFY_KEY (SPKI PEM), or the signing key's public half. */
export function loadAuditVerifyKey(env: Env = process.env): KeyObject {
  if (env.AUDIT_VERIFY_KEY) {
    let key: KeyObject;
    try {
      key = createPublicKey(pemFromEnv(env.AUDIT_VERIFY_KEY));
    } catch (error) {
      throw new AuditKeyError(`AUDIT_VERIFY_KEY is not a PEM public key: ${(error as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new AuditKeyError('AUDIT_VERIFY_KEY must be an Ed25519 public key.');
    return key;
  }
  return createPublicKey(loadAuditSigningKey(env));
}

/** A short name for a key: the first 16 hex digits of the SHA-256 of its public half (SPKI DER). */
export function auditKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}
