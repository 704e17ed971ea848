import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTarget, isPublicAddress } from '../../functions/domain/webhooks/targets';

// Where webhooks may be delivered (functions/domain/webhooks/targets.ts):
// the attacker's spellings of inside addresses, and the public ones that
// must still work.

const INSIDE = [
  'http://127.0.0.1/hook', 'http://127.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.0.0.1/', 'http://0x7f000001/',
  'http://%31%32%37.0.0.1/', 'http://127.0.0.1./', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:ffff:7f00:1]/',
  'http://0.0.0.0/', 'http://0/', 'http://[::]/', 'http://10.0.0.5/', 'http://172.16.3.4/', 'http://192.168.1.1/', 'http://[fd00::1]/',
  'http://[fd00:ec2::254]/latest/meta-data', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'http://[::ffff:a9fe:a9fe]/',
  'http://2852039166/', 'http://100.64.0.1/', 'http://100.100.100.200/', 'http://192.0.0.192/', 'http://[fe80::1]/', 'http://224.0.0.1/',
  'http://255.255.255.255/', 'http://240.0.0.1/', 'http://198.18.0.1/', 'http://[64:ff9b::7f00:1]/', 'http://[2002:7f00:1::]/', 'http://[2001:db8::1]/',
  'http://localhost/', 'http://localhost./', 'http://LOCALHOST:8080/', 'http://api.localhost/', 'http://metadata.google.internal/', 'http://printer.local/',
  'http://intranet/', 'http://router.home.arpa/',
];

describe('webhook targets', () => {
  it.each(INSIDE)('refuses %s', (url) => {
    expect(checkTarget(url)).toMatchObject({ ok: false });
  });

  it('takes public http(s) URLs, by name or address', () => {
    for (const url of ['https://hooks.example.com/relate?x=1', 'http://8.8.8.8:8080/in', 'https://[2606:4700::1111]/', 'https://example.com./hook']) {
      expect(checkTarget(url)).toMatchObject({ ok: true });
    }
  });

  it('refuses other schemes, credentials and what is not a URL', () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)', 'https://user:pw@example.com/', 'not a url', 'https:///path']) {
      expect(checkTarget(url)).toMatchObject({ ok: false });
    }
  });

  it('lets loopback through only when allowed, and never private or metadata addresses', () => {
    const local = { allowLoopback: true };
    for (const url of ['http://127.0.0.1:4000/', 'http://localhost:4000/', 'http://[::1]:4000/', 'http://[::ffff:127.0.0.1]/']) expect(checkTarget(url, local)).toMatchObject({ ok: true });
    for (const url of ['http://10.0.0.1/', 'http://169.254.169.254/', 'http://[fd00::1]/', 'http://0.0.0.0/']) expect(checkTarget(url, local)).toMatchObject({ ok: false });
  });

  it('judges resolved addresses the same way, every IPv4 address by its range (property)', () => {
    const inside = (a: number, b: number) =>
      a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b, c, d) => {
        const address = `${a}.${b}.${c}.${d}`;
        if (inside(a, b)) {
          expect(isPublicAddress(address)).toBe(false);
          expect(isPublicAddress(`::ffff:${address}`)).toBe(false);
          expect(checkTarget(`http://${(((a << 24) >>> 0) + (b << 16) + (c << 8) + d).toString()}/`)).toMatchObject({ ok: false });
        }
        // Mapped into IPv6, an address is judged as the IPv4 address it is.
        expect(isPublicAddress(`::ffff:${address}`)).toBe(isPublicAddress(address));
      }),
      { numRuns: 2000 },
    );
    expect(isPublicAddress('not an address')).toBe(false);
    expect(isPublicAddress('1.1.1.1')).toBe(true);
  });
});
