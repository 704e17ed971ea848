import { describe, expect, it } from 'vitest';
import { backoffSeconds } from '../../functions/domain/backoff';
import { decodeCursor, encodeCursor } from '../../functions/domain/cursor';
import { mergeCustomFields, validateCustomFields } from '../../functions/domain/custom-fields';
import { hashPassword, verifyPassword } from '../../functions/domain/passwords';
import { contactSearchText, sortKey } from '../../functions/domain/records';
import { ftsQuery } from '../../functions/domain/search';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one or a tampered hash', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('correct horse battery', hash.replace('100000', '1000'))).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('cursor', () => {
  it('round-trips and rejects garbage', () => {
    expect(decodeCursor(encodeCursor({ v: 'ada lovelace', id: 'con_1' }))).toEqual({ v: 'ada lovelace', id: 'con_1' });
    expect(decodeCursor(encodeCursor({ v: 42, id: 'con_2' }))).toEqual({ v: 42, id: 'con_2' });
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(btoa('{"v":1}'))).toBeNull();
  });
});

describe('search', () => {
  it('quotes each word of three or more characters and ANDs them', () => {
    expect(ftsQuery('Ada Love')).toBe('"ada" AND "love"');
    expect(ftsQuery('a" OR x')).toBe(null);
    expect(ftsQuery('say "hi" now')).toBe('"say" AND """hi""" AND "now"');
  });

  it('indexes names, emails, phones with and without punctuation, and the company', () => {
    const text = contactSearchText({
      firstName: 'Ada',
      lastName: 'Lovelace',
      emails: [{ address: 'ada@engine.example' }],
      phones: [{ number: '+44 (20) 7946-0000' }],
      companyName: 'Analytical Engines',
    });
    for (const part of ['ada', 'lovelace', 'ada@engine.example', '+442079460000', 'analytical engines']) {
      expect(text).toContain(part);
    }
  });

  it('sorts names case-insensitively', () => {
    expect(sortKey('ada', ' ', 'Lovelace')).toBe('ada lovelace');
    expect(sortKey(null, 'Ünsal')).toBe('ünsal');
  });
});

describe('custom field values', () => {
  const defs = [
    { key: 'size', label: 'Size', type: 'select' as const, options: ['s', 'm'] },
    { key: 'born', label: 'Born', type: 'date' as const, options: [] },
  ];
  it('names each problem by key', () => {
    expect(validateCustomFields(defs, { size: 'xl', born: '2026-02-30', other: 1 }).map((p) => p.key)).toEqual([
      'size',
      'born',
      'other',
    ]);
    expect(validateCustomFields(defs, { size: 'm', born: '2026-02-01' })).toEqual([]);
  });
  it('merges with null clearing', () => {
    expect(mergeCustomFields({ a: 1, b: 2 }, { b: null, c: 'x' })).toEqual({ a: 1, c: 'x' });
  });
});

describe('backoffSeconds', () => {
  it('doubles from 10 s per attempt and stops at an hour', () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([10, 20, 40, 80]);
    expect(backoffSeconds(12)).toBe(3600);
    expect(backoffSeconds(1000)).toBe(3600);
  });
});
