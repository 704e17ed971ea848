import { describe, expect, it } from 'vitest';
import { parseAppConfig, parseWorkerConfig } from '../../functions/config';

const LIBSQL_URL = 'libsql://relate-acme.turso.io';

describe('the Worker configuration', () => {
  it('names every missing setting, and where to set it', () => {
    expect(parseWorkerConfig({})).toEqual({
      ok: false,
      problems: [
        expect.stringMatching(/^PUBLIC_URL is not set: .*wrangler\.toml/),
        expect.stringMatching(/^LIBSQL_URL is not set: .*wrangler secret put LIBSQL_URL/),
      ],
    });
  });

  it('accepts the URLs a Worker can reach libSQL by, and trims a trailing slash from PUBLIC_URL', () => {
    for (const url of [LIBSQL_URL, 'https://relate-acme.turso.io', 'http://127.0.0.1:8080']) {
      expect(parseWorkerConfig({ LIBSQL_URL: url, LIBSQL_AUTH_TOKEN: 't', PUBLIC_URL: 'https://crm.acme.io/' })).toEqual({
        ok: true,
        config: { publicUrl: 'https://crm.acme.io', undoWindowMs: 30 * 86_400_000, webhooksAllowLoopback: false, libsql: { url, authToken: 't' } },
      });
    }
  });

  it('lets outbound webhooks reach loopback only when WEBHOOKS_ALLOW_LOOPBACK says so', () => {
    const base = { LIBSQL_URL, PUBLIC_URL: 'https://crm.acme.io' };
    const allowed = (value?: string) => {
      const parsed = parseWorkerConfig(value === undefined ? base : { ...base, WEBHOOKS_ALLOW_LOOPBACK: value });
      return parsed.ok ? parsed.config.webhooksAllowLoopback : parsed.problems;
    };
    expect([allowed(), allowed('0'), allowed('false'), allowed('1'), allowed('true')]).toEqual([false, false, false, true, true]);
    expect(allowed('yes')).toEqual([expect.stringMatching(/^WEBHOOKS_ALLOW_LOOPBACK/)]);
  });

  it('refuses a file: database URL and a PUBLIC_URL that is no web address', () => {
    const result = parseWorkerConfig({ LIBSQL_URL: 'file:data/relate.db', PUBLIC_URL: 'crm.acme.io', UNDO_WINDOW_DAYS: '0' });
    expect(result).toEqual({
      ok: false,
      problems: [
        expect.stringMatching(/^PUBLIC_URL must be an http\(s\) address/),
        expect.stringMatching(/^UNDO_WINDOW_DAYS: /),
        expect.stringMatching(/^LIBSQL_URL must be a libsql:\/\/, https:\/\/ or http:\/\/ URL/),
      ],
    });
  });
});

describe('PUBLIC_URL on either host', () => {
  it('refuses the placeholder wrangler.toml ships with, and any other example domain (RFC 2606)', () => {
    for (const url of ['https://relate.example.com', 'https://example.org', 'http://crm.example']) {
      const worker = parseWorkerConfig({ LIBSQL_URL, PUBLIC_URL: url });
      expect(worker, url).toEqual({ ok: false, problems: [expect.stringMatching(/^PUBLIC_URL is still the placeholder .*: set it/)] });
      expect(() => parseAppConfig({ PUBLIC_URL: url }), url).toThrow(/PUBLIC_URL is still the placeholder/);
    }
  });

  it('lets through addresses that merely contain "example"', () => {
    expect(parseWorkerConfig({ LIBSQL_URL, PUBLIC_URL: 'https://crm.myexample.com' }).ok).toBe(true);
    expect(parseAppConfig({ PUBLIC_URL: 'https://example.com.acme.io' }).publicUrl).toBe('https://example.com.acme.io');
  });
});
