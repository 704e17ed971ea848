import { describe, expect, it } from 'vitest';
import { headersFor, parseHeadersFile } from '../../functions/node/static-headers';

// The Node host applies build/_headers as Cloudflare's static assets do.
const FILE = `# comment
/*
  X-Frame-Options: DENY
  Link: </a.css>; rel=preload

/_app/immutable/*
  Cache-Control: public, max-age=31536000, immutable
  Link: </b.css>; rel=preload

/contacts/:id
  ! X-Frame-Options
`;

describe('a _headers file on the Node host', () => {
  const rules = parseHeadersFile(FILE);

  it('gives every path the headers of each rule that matches it', () => {
    expect(Object.fromEntries(headersFor(rules, '/'))).toEqual({ 'x-frame-options': 'DENY', link: '</a.css>; rel=preload' });
    expect(Object.fromEntries(headersFor(rules, '/_app/immutable/entry/start.js'))).toEqual({
      'x-frame-options': 'DENY',
      'cache-control': 'public, max-age=31536000, immutable',
      link: '</a.css>; rel=preload, </b.css>; rel=preload',
    });
  });

  it('matches a :placeholder against one path segment only, and lets a rule drop a header', () => {
    expect(headersFor(rules, '/contacts/con_1').has('x-frame-options')).toBe(false);
    expect(headersFor(rules, '/contacts/con_1/notes').get('x-frame-options')).toBe('DENY');
    expect(headersFor(rules, '/_app/immutable').has('cache-control')).toBe(false);
  });

  it('refuses a rule it cannot mirror rather than skip it', () => {
    expect(() => parseHeadersFile('https://relate.example.com/*\n  X-Robots-Tag: noindex\n')).toThrow(/line 1/);
    expect(() => parseHeadersFile('/*\n  not a header\n')).toThrow(/line 2/);
  });
});
