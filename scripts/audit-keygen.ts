/** npm run --silent audit:keygen — prints a new Ed25519 private key (PKCS#8 PEM) for AUDIT_SIGNING_KEY. */
import { generateAuditSigningKeyPem } from '@/lib/audit/signing';

process.stdout.write(generateAuditSigningKeyPem());
