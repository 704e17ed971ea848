import { describe, expect, it } from 'vitest';
import { demoPasswordFile, isLoopback } from '../../functions/node/demo';

describe('isLoopback', () => {
  it('knows the loopback listeners', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopback(host), host).toBe(true);
    }
  });

  it('treats every other address or name as reachable from elsewhere', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', 'relate.example.com', '128.0.0.1', '::ffff:10.0.0.1', 'localhost.example.com']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});

describe('demoPasswordFile', () => {
  it('sits beside a database file, and there is none for other databases', () => {
    expect(demoPasswordFile('file:data/relate.db')).toBe('data/relate.db-demo-password');
    expect(demoPasswordFile('file:/srv/relate.db?mode=rwc')).toBe('/srv/relate.db-demo-password');
    expect(demoPasswordFile('file::memory:')).toBeNull();
    expect(demoPasswordFile('libsql://relate-acme.turso.io')).toBeNull();
  });
});
