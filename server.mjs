// The production HTTP server: Next.js behind a thin Node layer that does what only the socket knows
// and refuses what Next would answer with a 500:
// - records the TCP peer's address in the private `x-refund-desk-peer` header (a client-sent copy is
//   dropped), so the app never takes the client's address from a header anyone can set;
// - TRACE, TRACK and CONNECT → 405; a path with a malformed %-escape → 400;
// - a server-action body over 1 MB → 413 before Next reads it; one Next cannot read → 400;
// - the answers to API writes (POST /api/v1/…) go uncompressed;
// - a streamed page's gzip is flushed once per burst of chunks, not after each one.
// Plain JavaScript so that `npm start` needs no devDependency.
import { createServer } from 'node:http';
import next from 'next';

const PEER_HEADER = 'x-refund-desk-peer';
const ACTION_BODY_LIMIT = 1024 * 1024;
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';

function refuse(res, status, detail, headers = {}) {
  const title = { 400: 'Bad request', 405: 'Method not allowed', 413: 'Payload too large' }[status];
  res.writeHead(status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

function hasMalformedEscape(url) {
  const path = (url ?? '/').split('?')[0];
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/**
 * Next's gzip (the `compression` middleware's `res.flush`) is flushed after every chunk a page
 * streams: a ticket page is a few dozen chunks, most written in one go, and each flush is a zlib
 * call and a sync marker of its own. Flushed once after the chunks written in the same turn of the
 * event loop, the same bytes leave as early, for less work.
 */
function flushOncePerBurst(res) {
  let flush;
  let scheduled = false;
  const coalesced = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flush.call(res);
    });
  };
  Object.defineProperty(res, 'flush', {
    configurable: true,
    get: () => (flush ? coalesced : undefined),
    set: (fn) => {
      flush = fn;
    },
  });
}

const app = next({ dev: false, hostname: 'localhost', port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  if (req.method === 'TRACE' || req.method === 'TRACK' || req.method === 'CONNECT') {
    return refuse(res, 405, `${req.method} is not supported.`, { allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' });
  }
  if (hasMalformedEscape(req.url)) return refuse(res, 400, 'The address has a malformed %-escape.');
  if (req.method === 'POST' && req.headers['next-action'] && Number(req.headers['content-length'] ?? 0) > ACTION_BODY_LIMIT) {
    return refuse(res, 413, 'The form is larger than 1 MB.');
  }
  if (req.method === 'POST' && req.headers['next-action']) {
    // Our actions never throw (the action wrapper turns every error into a typed result), so a 500
    // on an action is Next failing to read a malformed body: the client's fault, a 400.
    const writeHead = res.writeHead;
    res.writeHead = function (status, ...rest) {
      return writeHead.call(this, status === 500 ? 400 : status, ...rest);
    };
  }
  // The API's write answers are a few hundred bytes: gzipping each cost about 5 % of the server's
  // CPU under bench:intake (Next compresses every streamed answer, whatever its size).
  if (req.method === 'POST' && req.url?.startsWith('/api/v1/')) delete req.headers['accept-encoding'];
  delete req.headers[PEER_HEADER];
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? '';
  flushOncePerBurst(res);
  handle(req, res);
});
// An idle keep-alive connection outlives a load balancer's (60 s on most), so the server never closes
// a socket at the moment a proxy or client sends on it again (which that side sees as ECONNRESET).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, hostname, () =>
  console.log(`Refund Desk listening on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`),
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
