/**
 * HEVC-coded HEIC (what iPhones take) decoded with libheif compiled to WebAssembly (`libheif-js`,
 * with libde265), for when sharp cannot: sharp's prebuilt libvips decodes AV1-coded HEIF only.
 *
 * The decoder runs in a worker thread of its own, one per file, ended when the file is done: the
 * WebAssembly decode is synchronous (about 1.7 s for a 12-megapixel photo on this machine) and
 * would otherwise stop the server for that long; and WebAssembly memory never shrinks, so a worker
 * per file gives the decoded pixels' memory back when it ends. The worker reads the image's size
 * from the container (`ispe`, after rotation) and refuses one beyond `maxPixels` before decoding a
 * pixel, and it is ended if it takes longer than `timeoutMs`.
 *
 * The worker's code is a string, not a file, so that no bundler moves or rewrites it; it finds
 * `libheif-js/wasm-bundle` (its WebAssembly inlined) in the node_modules above this module's file,
 * or else above the working directory.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface DecodedHeif {
  width: number;
  height: number;
  /** Interleaved 8-bit RGB, `width × height × 3` bytes, orientation (`irot`, `imir`) applied. */
  pixels: Buffer;
}

export type HeifFailure = 'unreadable' | 'too-large' | 'undecodable' | 'timeout';

export class HeifDecodeError extends Error {
  constructor(
    readonly failure: HeifFailure,
    message: string,
    readonly width?: number,
    readonly height?: number,
  ) {
    super(message);
  }
}

type WorkerReply =
  | { loaded: true }
  | { ok: true; width: number; height: number; pixels: Uint8Array }
  | { ok: false; failure: Exclude<HeifFailure, 'timeout'>; detail?: string; width?: number; height?: number };

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, maxPixels, searchFrom } = workerData;
// Outside the try: a missing package is the server's fault, not the file's.
const libheif = require(require.resolve('libheif-js/wasm-bundle', { paths: searchFrom }));
const fail = (failure, extra) => parentPort.postMessage({ ok: false, failure, ...extra });
const isError = (value) => !value || value.code !== undefined;

async function run() {
  await libheif.ready;
  parentPort.postMessage({ loaded: true });
  const context = libheif.heif_context_alloc();
  try {
    const read = libheif.heif_context_read_from_memory(context, bytes);
    if (read.code !== libheif.heif_error_code.heif_error_Ok) return fail('unreadable', { detail: read.message });
    const handle = libheif.heif_js_context_get_primary_image_handle(context);
    if (isError(handle)) return fail('unreadable', { detail: handle && handle.message });
    try {
      const width = libheif.heif_image_handle_get_width(handle);
      const height = libheif.heif_image_handle_get_height(handle);
      if (!(width > 0 && height > 0)) return fail('unreadable', { detail: 'no size' });
      if (width * height > maxPixels) return fail('too-large', { width, height });
      const image = libheif.heif_js_decode_image2(
        handle,
        libheif.heif_colorspace.heif_colorspace_RGB,
        libheif.heif_chroma.heif_chroma_interleaved_RGB,
      );
      if (isError(image)) return fail('undecodable', { detail: image && image.message });
      try {
        const plane = image.channels.find((c) => c.id === libheif.heif_channel.heif_channel_interleaved);
        if (!plane || plane.width !== width || plane.height !== height) return fail('undecodable', { detail: 'unexpected planes' });
        // plane.data is a view into the WebAssembly memory: copy it out, row by row (rows may be padded).
        const row = width * 3;
        const pixels = new Uint8Array(row * height);
        for (let y = 0; y < height; y++) pixels.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
        parentPort.postMessage({ ok: true, width, height, pixels }, [pixels.buffer]);
      } finally {
        libheif.heif_image_release(image.image);
      }
    } finally {
      libheif.heif_image_handle_release(handle);
    }
  } finally {
    libheif.heif_context_free(context);
  }
}
run().catch((error) => fail('undecodable', { detail: String((error && error.message) || error) }));
`;

/** Where the worker looks for libheif-js: above this file (also when bundled), then the working directory. */
const searchFrom = () => [...(import.meta.url.startsWith('file:') ? [path.dirname(fileURLToPath(import.meta.url))] : []), process.cwd()];

/**
 * Decodes the primary image of the HEIF/HEIC `bytes`. Rejects with HeifDecodeError when the file is
 * unreadable, larger than `maxPixels` (decided before decoding), undecodable or too slow; with a
 * plain Error when the decoder itself cannot run.
 */
export function decodeHeif(bytes: Uint8Array, maxPixels: number, { timeoutMs = 60_000 } = {}): Promise<DecodedHeif> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes, maxPixels, searchFrom: searchFrom() } });
    let settled = false;
    // Until the decoder is loaded a failure is the server's (a missing package); after, the file's.
    let loaded = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () => settle(() => reject(new HeifDecodeError('timeout', `HEIF decoding took longer than ${timeoutMs} ms`))),
      timeoutMs,
    );
    worker.on('message', (reply: WorkerReply) => {
      if ('loaded' in reply) {
        loaded = true;
        return;
      }
      settle(() =>
        reply.ok
          ? resolve({
              width: reply.width,
              height: reply.height,
              pixels: Buffer.from(reply.pixels.buffer, reply.pixels.byteOffset, reply.pixels.byteLength),
            })
          : reject(new HeifDecodeError(reply.failure, reply.detail ?? reply.failure, reply.width, reply.height)),
      );
    });
    worker.once('error', (error) =>
      settle(() =>
        reject(
          loaded
            ? new HeifDecodeError('undecodable', `the HEIF decoder failed: ${error.message}`)
            : new Error(`The HEIF decoder could not be loaded: ${error.message}`),
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new HeifDecodeError('undecodable', `the HEIF decoder stopped (exit code ${code}) before answering`))),
    );
  });
}

/**
 * The colour space of the primary image, as its `colr` property gives it: an ICC profile (iPhones
 * write Display P3 this way) or, for `nclx`, the colour primaries' code (ITU-T H.273: 1 BT.709/sRGB,
 * 12 Display P3). The pixels libheif decodes are in that space, not necessarily sRGB. Null when the
 * file says nothing (or cannot be read; this is only ever asked of a file libheif has decoded).
 */
export type HeifColour = { icc: Buffer } | { primaries: number } | null;

export function heifColour(bytes: Uint8Array): HeifColour {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const fourcc = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
    const children = (start: number, end: number) => {
      const boxes: { type: string; start: number; end: number }[] = [];
      for (let pos = start; pos + 8 <= end;) {
        let size = view.getUint32(pos);
        let header = 8;
        if (size === 1) {
          size = Number(view.getBigUint64(pos + 8));
          header = 16;
        } else if (size === 0) size = end - pos;
        if (size < header || pos + size > end) break;
        boxes.push({ type: fourcc(pos + 4), start: pos + header, end: pos + size });
        pos += size;
      }
      return boxes;
    };
    const find = (start: number, end: number, type: string) => children(start, end).find((b) => b.type === type);
    const meta = find(0, bytes.length, 'meta');
    if (!meta) return null;
    const body = meta.start + 4; // a full box
    const pitm = find(body, meta.end, 'pitm');
    const primary = pitm && (bytes[pitm.start] === 0 ? view.getUint16(pitm.start + 4) : view.getUint32(pitm.start + 4));
    const iprp = find(body, meta.end, 'iprp');
    const ipco = iprp && find(iprp.start, iprp.end, 'ipco');
    if (!iprp || !ipco) return null;
    const properties = children(ipco.start, ipco.end);
    // The primary item's own colr properties (ipma), else any in the file: a photo's tiles share one.
    let colours = properties.filter((p) => p.type === 'colr');
    const ipma = find(iprp.start, iprp.end, 'ipma');
    if (ipma && primary !== undefined) {
      const version = bytes[ipma.start]!;
      const wide = (view.getUint32(ipma.start) & 1) === 1;
      const own: typeof colours = [];
      let pos = ipma.start + 8;
      for (let entries = view.getUint32(ipma.start + 4); entries > 0; entries--) {
        const item = version < 1 ? view.getUint16(pos) : view.getUint32(pos);
        pos += version < 1 ? 2 : 4;
        for (let n = bytes[pos++]!; n > 0; n--) {
          const index = wide ? view.getUint16(pos) & 0x7fff : bytes[pos]! & 0x7f;
          pos += wide ? 2 : 1;
          const property = properties[index - 1];
          if (item === primary && property?.type === 'colr') own.push(property);
        }
      }
      if (own.length) colours = own;
    }
    const icc = colours.find((c) => ['prof', 'rICC'].includes(fourcc(c.start)));
    if (icc) return { icc: Buffer.from(bytes.subarray(icc.start + 4, icc.end)) };
    const nclx = colours.find((c) => fourcc(c.start) === 'nclx');
    return nclx ? { primaries: view.getUint16(nclx.start + 4) } : null;
  } catch {
    return null;
  }
}
