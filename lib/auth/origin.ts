/**
 * What the app trusts about where a request came from.
 *
 * - The client's address is the TCP peer's, which our server (server.mjs) writes into the private
 *   `x-refund-desk-peer` header of every request after removing any copy the client sent.
 *   `X-Forwarded-For` is read only when that peer is a trusted proxy (`TRUSTED_PROXIES`: addresses
 *   and CIDRs, comma-separated, or a number of proxy hops), walking it from the right past trusted
 *   proxies. Only a syntactically valid IP is ever stored.
 * - The app's own origin is `NEXTAUTH_URL`'s (default `http://localhost:$PORT`); a request that
 *   changes something must carry exactly that Origin.
 */
import { BlockList, isIP } from 'node:net';
import type { Origin } from '@/lib/audit';

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

/** The header our server sets to the socket's remote address; any client-sent copy is dropped. */
export const PEER_HEADER = 'x-refund-desk-peer';

function read(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** A valid IP address in canonical form (IPv4-mapped IPv6 as plain IPv4), or null. */
export function normalizeIp(value: string | null | undefined): string | null {
  if (!value) return null;
  let ip = value.trim();
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) ip = ip.slice(7);
  return isIP(ip) ? ip.toLowerCase() : null;
}

export type TrustedProxies = { hops: number } | { list: BlockList } | null;

/** `TRUSTED_PROXIES`: a number of hops (`1`), or addresses and CIDRs (`10.0.0.0/8, 127.0.0.1`). Bad entries throw. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) > 0 ? { hops: Number(text) } : null;
  const list = new BlockList();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const ip = normalizeIp(address);
    if (!ip) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR.`);
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip, type);
    else if (/^\d+$/.test(bits) && Number(bits) <= (type === 'ipv6' ? 128 : 32)) list.addSubnet(ip, Number(bits), type);
    else throw new Error(`TRUSTED_PROXIES: "${entry}" has a bad prefix length.`);
  }
  return { list };
}

let trustedCache: { raw: string | undefined; parsed: TrustedProxies } | null = null;
function trustedProxies(): TrustedProxies {
  const raw = process.env.TRUSTED_PROXIES;
  if (!trustedCache || trustedCache.raw !== raw) trustedCache = { raw, parsed: parseTrustedProxies(raw) };
  return trustedCache.parsed;
}

const isTrusted = (ip: string, trusted: { list: BlockList }) => trusted.list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** The client's address: the socket peer, or behind trusted proxies the nearest untrusted forwarded address. */
export function clientIp(headers: HeaderSource, trusted: TrustedProxies = trustedProxies()): string | null {
  const peer = normalizeIp(read(headers, PEER_HEADER));
  if (!peer || !trusted) return peer;
  const forwarded = (read(headers, 'x-forwarded-for') ?? '').split(',').map((part) => part.trim());
  if ('hops' in trusted) {
    // The peer is the last proxy; the hops-1 proxies before it appended themselves to the header.
    const entry = forwarded.length - trusted.hops >= 0 ? forwarded[forwarded.length - trusted.hops] : undefined;
    return normalizeIp(entry) ?? peer;
  }
  if (!isTrusted(peer, trusted)) return peer;
  let client = peer;
  for (let i = forwarded.length - 1; i >= 0; i -= 1) {
    const ip = normalizeIp(forwarded[i]);
    if (!ip) break;
    client = ip;
    if (!isTrusted(ip, trusted)) break;
  }
  return client;
}

/** Printable text only: control characters, NUL and lone surrogates removed. */
const printable = (value: string) =>
  value.replace(/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');

/** The client's address and user agent, for the audit log. */
export function originFromHeaders(headers: HeaderSource, via: Origin['via'] = 'ui'): Origin {
  const userAgent = read(headers, 'user-agent');
  return { via, ip: clientIp(headers), userAgent: userAgent ? printable(userAgent).slice(0, 300) : null };
}

/** What a change from another site, or one without an Origin, is told (routes, actions, proxy). */
export const FOREIGN_ORIGIN =
  'This must be sent from the Refund Desk itself (its Origin header is missing or foreign). Reload the page and try again.';

/** This app's origin (scheme, host and port), from NEXTAUTH_URL. */
export function appOrigin(): string {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // a malformed NEXTAUTH_URL: the default below, so every Origin is refused rather than any accepted
    }
  }
  return `http://localhost:${process.env.PORT ?? 3000}`;
}

/** True when a request's Origin header is exactly this app's origin. */
export function isAppOrigin(origin: string | null | undefined): boolean {
  if (!origin) return false;
  try {
    return new URL(origin).origin === appOrigin();
  } catch {
    return false;
  }
}

/**
 * Where to go after signing in: a path of this app, or `fallback`. The value is parsed against the
 * app's own URL and kept only when it stays on the same origin (so `//evil`, `/\evil`, `/\tevil`,
 * `https://evil` and `javascript:` all fall back).
 */
export function safeCallbackPath(value: unknown, fallback = '/tickets'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 2000 || /[\u0000-\u001f\\]/.test(value)) return fallback;
  const base = appOrigin();
  try {
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
