import type { Origin } from '@/lib/audit';

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function read(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** The client's address and user agent as the proxy in front of the app reports them. */
export function originFromHeaders(headers: HeaderSource, via: Origin['via'] = 'ui'): Origin {
  const forwarded = read(headers, 'x-forwarded-for')?.split(',')[0]?.trim();
  return {
    via,
    ip: forwarded || read(headers, 'x-real-ip') || null,
    userAgent: read(headers, 'user-agent')?.slice(0, 300) ?? null,
  };
}
