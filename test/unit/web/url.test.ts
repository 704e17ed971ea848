import { describe, expect, it } from 'vitest';
import { COMPANY_SORTS, CONTACT_SORTS } from '../../../web/src/lib/sorts';
import { pick, safeNext, withParams } from '../../../web/src/lib/url';

describe('pick', () => {
  const STAGES = ['lead', 'customer'] as const;

  it('returns a value from the allowed list', () => {
    expect(pick('customer', STAGES)).toBe('customer');
  });

  it.each([
    ['a value outside the list', 'admin'],
    ['a different case', 'Customer'],
    ['padding', ' lead'],
    ['an empty string', ''],
    ['a missing parameter', null],
    ['a property every object has', 'constructor'],
  ])('rejects %s', (_, value) => {
    expect(pick(value, STAGES)).toBeUndefined();
  });

  it('accepts every sort the lists offer, and no other', () => {
    for (const sorts of [CONTACT_SORTS, COMPANY_SORTS]) {
      const values = sorts.map((s) => s.value);
      expect(new Set(values).size).toBe(values.length);
      for (const value of values) expect(pick(value, values)).toBe(value);
      expect(pick('-tags', values)).toBeUndefined();
    }
  });
});

describe('withParams', () => {
  const here = new URL('https://relate.example/contacts?q=ada&sort=name');

  it('sets, replaces and keeps parameters', () => {
    expect(withParams(here, { sort: '-name', tag: 'vip' })).toBe('/contacts?q=ada&sort=-name&tag=vip');
  });

  it('drops parameters set to empty, null or undefined, and the ? with the last one', () => {
    expect(withParams(here, { q: '', sort: null })).toBe('/contacts');
    expect(withParams(here, { q: undefined })).toBe('/contacts?sort=name');
  });

  it('encodes what it is given', () => {
    expect(withParams(new URL('https://relate.example/contacts'), { q: 'a&b=c #1' })).toBe('/contacts?q=a%26b%3Dc+%231');
  });

  it('leaves the URL it was given alone', () => {
    withParams(here, { q: null });
    expect(here.search).toBe('?q=ada&sort=name');
  });
});

describe('safeNext: where sign-in may send you', () => {
  it.each([
    ['/contacts', '/contacts'],
    ['/contacts/con_01JZ0000000000000000000000', '/contacts/con_01JZ0000000000000000000000'],
    ['/contacts?q=ada&sort=-name#list', '/contacts?q=ada&sort=-name#list'],
    ['/settings/../companies', '/companies'],
  ])('allows the path %s on this site', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it.each([
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash, which browsers read as a slash', '/\\evil.example'],
    ['a tab, which browsers strip', '/\t/evil.example'],
    ['a newline, which browsers strip', '/\n/evil.example'],
    ['a path that resolves to //host', '/..//evil.example'],
    ['a dot segment before a backslash', '/./\\evil.example'],
    ['an absolute URL', 'https://evil.example/contacts'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'contacts'],
    ['an empty value', ''],
    ['a missing value', null],
    ['an empty host', '//'],
  ])('rejects %s', (_, next) => {
    expect(safeNext(next)).toBe('/contacts');
  });

  it('falls back to the fallback it is given', () => {
    expect(safeNext('//evil.example', '/companies')).toBe('/companies');
  });
});
