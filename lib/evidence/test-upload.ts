/** Test helpers: an upload as ./multipart.ts would have read it, and multipart bodies built by hand. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanFileName, type ReceivedUpload } from './multipart';

export function receivedUpload(files: { name: string; bytes: Uint8Array; refusal?: string }[], problems: string[] = []): ReceivedUpload {
  const dir = path.join(tmpdir(), 'refund-desk-uploads', `test-${randomBytes(8).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    problems,
    files: files.map((f, i) => {
      const file = path.join(dir, `${i}.part`);
      writeFileSync(file, f.bytes);
      return {
        name: cleanFileName(f.name),
        path: file,
        size: f.bytes.byteLength,
        sha256: createHash('sha256').update(f.bytes).digest('hex'),
        refusal: f.refusal,
      };
    }),
  };
}

export interface Part {
  field: string;
  /** Absent: a plain text field. */
  filename?: string;
  type?: string;
  bytes: Uint8Array | string;
}

/** A multipart/form-data body (and its content type) with exactly the parts given. */
export function multipartBody(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----rd${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    // Names with control characters travel percent-encoded (RFC 5987 `filename*`), as clients send them.
    const encoded = part.filename !== undefined && /[\x00-\x08\x0b-\x1f\x7f]|[^\x00-\x7f]/.test(part.filename);
    const disposition =
      part.filename === undefined
        ? `form-data; name="${part.field}"`
        : encoded
          ? `form-data; name="${part.field}"; filename*=UTF-8''${encodeURIComponent(part.filename)}`
          : `form-data; name="${part.field}"; filename="${part.filename.replace(/"/g, '%22')}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.filename === undefined ? '' : `Content-Type: ${part.type ?? 'application/octet-stream'}\r\n`}\r\n`,
        'utf8',
      ),
    );
    chunks.push(typeof part.bytes === 'string' ? Buffer.from(part.bytes) : Buffer.from(part.bytes));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
