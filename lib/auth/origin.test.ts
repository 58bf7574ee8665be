import { afterEach, describe, expect, it } from 'vitest';
import { clientIp, isAppOrigin, normalizeIp, originFromHeaders, parseTrustedProxies, PEER_HEADER, safeCallbackPath } from './origin';

const request = (peer: string, extra: Record<string, string> = {}) => new Headers({ [PEER_HEADER]: peer, ...extra });

describe('the client address', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For or X-Real-IP say', () => {
    const headers = request('203.0.113.9', { 'x-forwarded-for': '198.51.100.1', 'x-real-ip': '198.51.100.2' });
    expect(clientIp(headers, null)).toBe('203.0.113.9');
  });

  it('is nothing when our server did not record a peer (never a client-sent header)', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '198.51.100.1' }), null)).toBeNull();
  });

  it('walks X-Forwarded-For from the right past trusted proxies, and stops at the first untrusted address', () => {
    const trusted = parseTrustedProxies('10.0.0.0/8, 127.0.0.1');
    // client-forged first entry, then the real client, then an inner proxy
    const headers = request('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.1.2.3' });
    expect(clientIp(headers, trusted)).toBe('198.51.100.7');
    // a peer that is not a trusted proxy: its header is ignored
    expect(clientIp(request('203.0.113.50', { 'x-forwarded-for': '198.51.100.7' }), trusted)).toBe('203.0.113.50');
  });

  it('takes the address the outermost of N proxy hops saw', () => {
    const headers = request('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 198.51.100.8, 10.0.0.1' });
    expect(clientIp(headers, parseTrustedProxies('2'))).toBe('198.51.100.8');
    expect(clientIp(headers, parseTrustedProxies('1'))).toBe('10.0.0.1');
  });

  it('stores only a valid IP: HTML or text in a header never reaches the audit log', () => {
    const trusted = parseTrustedProxies('127.0.0.1');
    expect(clientIp(request('127.0.0.1', { 'x-forwarded-for': '<script>alert(1)</script>' }), trusted)).toBe('127.0.0.1');
    expect(clientIp(request('<b>hi</b>'), null)).toBeNull();
    expect(normalizeIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeIp('[2001:DB8::1]')).toBe('2001:db8::1');
  });

  it('refuses a malformed TRUSTED_PROXIES rather than guessing', () => {
    expect(() => parseTrustedProxies('10.0.0.0/99')).toThrow(/prefix length/);
    expect(() => parseTrustedProxies('proxy.internal')).toThrow(/not an IP/);
  });

  it('keeps only printable text of the user agent', () => {
    const origin = originFromHeaders({ [PEER_HEADER]: '203.0.113.9', 'user-agent': 'curl/8\u0001 \ud800x' }, 'api');
    expect(origin).toEqual({ via: 'api', ip: '203.0.113.9', userAgent: 'curl/8 x' });
  });
});

describe('the app origin', () => {
  const saved = process.env.NEXTAUTH_URL;
  afterEach(() => {
    process.env.NEXTAUTH_URL = saved;
  });

  it('compares scheme, host and port with NEXTAUTH_URL', () => {
    process.env.NEXTAUTH_URL = 'https://desk.example.com';
    expect(isAppOrigin('https://desk.example.com')).toBe(true);
    expect(isAppOrigin('http://desk.example.com')).toBe(false);
    expect(isAppOrigin('https://desk.example.com:8443')).toBe(false);
    expect(isAppOrigin('https://evil.example')).toBe(false);
    expect(isAppOrigin(null)).toBe(false);
    expect(isAppOrigin('null')).toBe(false);
  });

  it('sends a signed-in user only to a path of this app', () => {
    process.env.NEXTAUTH_URL = 'http://localhost:3000';
    expect(safeCallbackPath('/tickets/12?tab=history#reply')).toBe('/tickets/12?tab=history#reply');
    for (const attack of [
      '/\\evil.example/',
      '/\tevil.example',
      '//evil.example',
      '/\t/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '',
    ]) {
      expect(safeCallbackPath(attack), JSON.stringify(attack)).toBe('/tickets');
    }
    expect(safeCallbackPath(['/a', '/b'])).toBe('/tickets');
  });
});
