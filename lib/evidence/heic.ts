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
