import { describe, expect, it } from 'vitest';
import { chooseEncoding, matchesEtag } from '../../functions/node/static-files';

describe('choosing a static file encoding from Accept-Encoding', () => {
  const all = ['br', 'gzip', 'identity'] as const;

  it('prefers brotli, then gzip, among those the client accepts', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd', all)).toBe('br');
    expect(chooseEncoding('gzip, deflate', all)).toBe('gzip');
    expect(chooseEncoding('deflate', all)).toBe('identity');
    expect(chooseEncoding(undefined, all)).toBe('identity');
  });

  it('never sends an encoding the client gave q=0, by name or through *', () => {
    expect(chooseEncoding('br;q=0, gzip', all)).toBe('gzip');
    expect(chooseEncoding('br; q=0, gzip;q=0', all)).toBe('identity');
    expect(chooseEncoding('*;q=0', all)).toBe('identity');
    expect(chooseEncoding('*', all)).toBe('br');
    expect(chooseEncoding('*, br;q=0', all)).toBe('gzip');
  });

  it('sends what the file has', () => {
    expect(chooseEncoding('br, gzip', ['identity'])).toBe('identity');
    expect(chooseEncoding('br, gzip', ['gzip', 'identity'])).toBe('gzip');
  });
});

describe('matching If-None-Match', () => {
  it('matches any listed tag, weak or strong, and *', () => {
    expect(matchesEtag('"a", "b"', ['"b"'])).toBe(true);
    expect(matchesEtag('W/"b"', ['"b"'])).toBe(true);
    expect(matchesEtag('*', ['"b"'])).toBe(true);
    expect(matchesEtag('"c"', ['"a"', '"b"'])).toBe(false);
    expect(matchesEtag(undefined, ['"a"'])).toBe(false);
  });
});
