/**
 * Reads a multipart/form-data body file by file, straight to temporary files (hashing and counting
 * as the bytes pass), so an upload is never held whole in memory. Limits are applied while
 * reading: a file over the size limit is cut off and refused; more files than may be sent stop the
 * request. What is wrong with a file is recorded against it, not thrown, so the upload can refuse
 * (and audit) every file with its own sentence.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import busboy from 'busboy';
import { AppError } from '@/lib/errors';

/** The form field files are sent in. */
export const FILE_FIELD = 'file';

export interface ReceivedFile {
  /** The name the sender gave, cleaned for display (never used as a path). */
  name: string;
  /** Temporary file holding the bytes (removed by `discard`). */
  path: string;
  size: number;
  sha256: string;
  /** Why the file cannot be accepted whatever its content (too large, empty, wrong field). */
  refusal?: string;
}

export interface ReceivedUpload {
  files: ReceivedFile[];
  /** Refusals of the request as a whole (no file, too many files), each one sentence. */
  problems: string[];
  dir: string;
}

const MB = (bytes: number) => `${(bytes / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;

/**
 * A file name fit to show and to store: the last path segment only, control and format characters
 * removed, whitespace collapsed, at most 200 characters (keeping the extension), or "file".
 */
export function cleanFileName(raw: string | undefined): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  name = name.replace(/^\.+/, '').trim();
  if (name.length > 200) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? '';
    name = `${Array.from(name.slice(0, 200 - ext.length)).join('')}${ext}`;
  }
  return name || 'file';
}

export async function discard(upload: Pick<ReceivedUpload, 'dir'>): Promise<void> {
  await rm(upload.dir, { recursive: true, force: true });
}

/**
 * Reads `body` (multipart/form-data with `contentType`) into temporary files. At most `maxFiles`
 * files are read; each is cut off above `maxFileBytes`.
 */
export async function receiveMultipart(
  body: ReadableStream<Uint8Array> | null,
  contentType: string | null,
  limits: { maxFileBytes: number; maxFiles: number },
): Promise<ReceivedUpload> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType) || !/boundary=/i.test(contentType)) {
    throw new AppError('bad_request', `Send the files as multipart/form-data, each in a "${FILE_FIELD}" field.`);
  }
  if (!body) throw new AppError('bad_request', `The request has no body: send one or more files in the "${FILE_FIELD}" field.`);
  const dir = path.join(tmpdir(), 'refund-desk-uploads', `${process.pid}-${randomBytes(8).toString('hex')}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: ReceivedFile[] = [];
  const problems: string[] = [];
  const writes: Promise<void>[] = [];
  try {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles,
          fields: 20,
          fieldSize: 1024,
          parts: limits.maxFiles + 20,
          headerPairs: 20,
        },
        defParamCharset: 'utf8',
      });
    } catch {
      throw new AppError('bad_request', `Send the files as multipart/form-data, each in a "${FILE_FIELD}" field.`);
    }
    parser.on('file', (field, stream, info) => {
      const file: ReceivedFile = { name: cleanFileName(info.filename), path: path.join(dir, `${files.length}.part`), size: 0, sha256: '' };
      files.push(file);
      if (field !== FILE_FIELD) file.refusal = `was sent in the field "${field.slice(0, 40)}"; send files in the "${FILE_FIELD}" field`;
      const hash = createHash('sha256');
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          file.size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      stream.on('limit', () => {
        file.refusal = `is larger than ${MB(limits.maxFileBytes)}, the most a file may be`;
      });
      writes.push(
        pipeline(stream, count, createWriteStream(file.path, { mode: 0o600 })).then(() => {
          file.sha256 = hash.digest('hex');
          if (file.size === 0 && !file.refusal) file.refusal = 'is empty (0 bytes)';
        }),
      );
    });
    parser.on('filesLimit', () => {
      problems.push(`At most ${limits.maxFiles} files can be sent in one request.`);
    });
    parser.on('field', (field) => {
      problems.push(`Unexpected field "${field.slice(0, 40)}": send only files, in the "${FILE_FIELD}" field.`);
    });
    try {
      await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), parser);
      await Promise.all(writes);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('bad_request', `The multipart body could not be read (${(error as Error).message.slice(0, 120)}).`);
    }
    if (files.length === 0 && problems.length === 0)
      problems.push(`The request has no file: send one or more files in the "${FILE_FIELD}" field.`);
    return { files, problems, dir };
  } catch (error) {
    await Promise.allSettled(writes);
    await discard({ dir });
    throw error;
  }
}
