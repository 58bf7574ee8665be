import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { EvidenceStore, StoredObject } from './storage';
import { checkKey, missingEvidence, sniffType } from './storage';

/**
 * Evidence in S3-compatible object storage (AWS S3, MinIO, Ceph, R2…), configured by
 * `EVIDENCE_S3_BUCKET`, `EVIDENCE_S3_ENDPOINT` (unset: AWS), `EVIDENCE_S3_REGION` (`us-east-1`),
 * `EVIDENCE_S3_ACCESS_KEY_ID` / `EVIDENCE_S3_SECRET_ACCESS_KEY` (unset: the SDK's default chain),
 * `EVIDENCE_S3_PREFIX` (object key prefix, default none) and `EVIDENCE_S3_FORCE_PATH_STYLE`
 * (default on with an endpoint). Objects are `<prefix><sha256>`; a put always writes, which also
 * refreshes LastModified for the gc's grace period.
 */

export const s3Configured = () => Boolean(process.env.EVIDENCE_S3_BUCKET);

interface S3Settings {
  bucket: string;
  prefix: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

export function s3Settings(env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = env.EVIDENCE_S3_ENDPOINT || undefined;
  return {
    bucket: env.EVIDENCE_S3_BUCKET ?? '',
    prefix: env.EVIDENCE_S3_PREFIX ?? '',
    endpoint,
    region: env.EVIDENCE_S3_REGION || 'us-east-1',
    accessKeyId: env.EVIDENCE_S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.EVIDENCE_S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: env.EVIDENCE_S3_FORCE_PATH_STYLE ? env.EVIDENCE_S3_FORCE_PATH_STYLE !== '0' : Boolean(endpoint),
  };
}

const clients = new Map<string, S3Client>();

function clientFor(settings: S3Settings): S3Client {
  const id = JSON.stringify(settings);
  let client = clients.get(id);
  if (!client) {
    client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      // Objects are named by their SHA-256: the SDK's default CRC32 over every body is work for nothing.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
    });
    clients.set(id, client);
  }
  return client;
}

const notFound = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

export function s3Store(settings = s3Settings()): EvidenceStore {
  const client = clientFor(settings);
  const Bucket = settings.bucket;
  const objectKey = (key: string) => `${settings.prefix}${key}`;

  async function get(key: string, range?: { start: number; end: number }) {
    checkKey(key);
    try {
      return await client.send(
        new GetObjectCommand({ Bucket, Key: objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
    } catch (error) {
      if (notFound(error)) throw missingEvidence(key);
      throw error;
    }
  }

  return {
    kind: 's3',
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const { mimeType } = sniffType(bytes);
      await client.send(
        new PutObjectCommand({ Bucket, Key: objectKey(sha256), Body: bytes, ContentType: mimeType, ContentLength: bytes.byteLength }),
      );
      return { storageKey: sha256, sha256, size: bytes.byteLength, mimeType };
    },
    async putFile(file, sha256, size, mimeType) {
      checkKey(sha256);
      await client.send(
        new PutObjectCommand({ Bucket, Key: objectKey(sha256), Body: createReadStream(file), ContentType: mimeType, ContentLength: size }),
      );
      return { storageKey: sha256, sha256, size, mimeType };
    },
    async read(key) {
      const object = await get(key);
      return Buffer.from(await object.Body!.transformToByteArray());
    },
    async open(key, range) {
      const object = await get(key, range);
      const total = range ? Number(/\/(\d+)$/.exec(object.ContentRange ?? '')?.[1] ?? NaN) : Number(object.ContentLength);
      const body = object.Body as unknown as Readable;
      return { size: total, body: Readable.toWeb(body) as ReadableStream<Uint8Array> };
    },
    async stat(key) {
      checkKey(key);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        return Number(head.ContentLength ?? 0);
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
    async *list(): AsyncIterable<StoredObject> {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: settings.prefix || undefined, ContinuationToken }));
        for (const object of page.Contents ?? []) {
          const key = object.Key?.slice(settings.prefix.length) ?? '';
          if (/^[0-9a-f]{64}$/.test(key)) yield { key, size: Number(object.Size ?? 0), modifiedAt: object.LastModified ?? new Date(0) };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    async remove(key) {
      checkKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
  };
}
