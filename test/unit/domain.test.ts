import { describe, expect, it } from 'vitest';
import { backoffSeconds } from '../../functions/domain/backoff';
import { decodeCursorText, encodeCursor } from '../../functions/domain/cursor';
import {
  changedCustomValues,
  customValueOf,
  isReservedKey,
  validateCustomFields,
} from '../../functions/domain/custom-fields';
import { hashPassword, verifyPassword } from '../../functions/domain/passwords';
import { contactSearchText, sortKey } from '../../functions/domain/records';
import { ftsQuery } from '../../functions/domain/search';
import { cursorParam } from '../../functions/schemas/cursor';

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
  it('round-trips a position in any script as URL-safe text', () => {
    for (const v of ['ada lovelace', 'łukasz nowak', '王芳', 'zoë ?>?>', 42, -1]) {
      const text = encodeCursor({ v, id: 'con_1' });
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursorText(text)).toEqual([v, 'con_1']);
    }
  });

  it('reads standard base64 too, and nothing from text that is not base64 JSON', () => {
    expect(decodeCursorText(btoa('[">>>","con_1"]'))).toEqual(['>>>', 'con_1']);
    expect(decodeCursorText('not a cursor!')).toBeUndefined();
    expect(decodeCursorText(btoa('[1,'))).toBeUndefined();
  });
});

describe('the cursor parameter', () => {
  const ID = 'con_01JD5X9Q2M7R4T8V6W3Y0Z1A2B';
  const param = cursorParam('con');
  it('gives the position of a cursor the list handed out', () => {
    expect(param.parse(encodeCursor({ v: 'ada', id: ID }))).toEqual({ v: 'ada', id: ID });
    expect(param.parse(encodeCursor({ v: 1_700_000_000_000, id: ID }))).toEqual({ v: 1_700_000_000_000, id: ID });
  });

  it('refuses positions no list writes and ids of another kind', () => {
    for (const json of [
      `[1e999,"${ID}"]`,
      `[-1e999,"${ID}"]`,
      `[0.5,"${ID}"]`,
      `[9007199254740992,"${ID}"]`,
      `["${'x'.repeat(301)}","${ID}"]`,
      `[null,"${ID}"]`,
      `[true,"${ID}"]`,
      `[["a"],"${ID}"]`,
      `["ada","com_01JD5X9Q2M7R4T8V6W3Y0Z1A2B"]`,
      `["ada","con_x"]`,
      `["ada"]`,
      `{"v":"ada","id":"${ID}"}`,
    ]) {
      expect(param.safeParse(btoa(json)).success, json).toBe(false);
    }
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
  it('picks the entries of a patch that change what is stored, null being the same as absent', () => {
    const stored = { tier: 'gold', seats: 3, regions: ['emea', 'apac'] };
    expect(changedCustomValues(stored, { tier: 'gold', seats: 4, regions: ['emea', 'apac'], gone: null })).toEqual({ seats: 4 });
    expect(changedCustomValues(stored, { regions: ['apac', 'emea'], tier: null, added: 'x' })).toEqual({
      regions: ['apac', 'emea'],
      tier: null,
      added: 'x',
    });
  });

  it('reserves every name a plain object already answers to', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype']) {
      expect(isReservedKey(key), key).toBe(true);
    }
    for (const key of ['tier', 'constructor_name', 'proto', 'value_of']) expect(isReservedKey(key), key).toBe(false);
  });

  it('reads a value from the record itself, never from its prototype', () => {
    expect(customValueOf({}, 'constructor')).toBeUndefined();
    expect(customValueOf({ constructor: 'Babbage' }, 'constructor')).toBe('Babbage');
    expect(customValueOf(JSON.parse('{"__proto__":"x"}'), '__proto__')).toBe('x');
  });

  it('never takes a value from the prototype for a stored one', () => {
    expect(changedCustomValues({}, { constructor: null, toString: null })).toEqual({});
    expect(changedCustomValues({}, { constructor: 'x' })).toEqual({ constructor: 'x' });
  });
});

describe('backoffSeconds', () => {
  it('doubles from 10 s per attempt and stops at an hour', () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([10, 20, 40, 80]);
    expect(backoffSeconds(12)).toBe(3600);
    expect(backoffSeconds(1000)).toBe(3600);
  });
});

describe('the signed-in hint', () => {
  it('is read from a cookie string, exactly', async () => {
    const { hasSignedInHint } = await import('../../functions/domain/signed-in-hint');
    expect(hasSignedInHint('a=b; relate_signed_in=1')).toBe(true);
    expect(hasSignedInHint('relate_signed_in=1')).toBe(true);
    expect(hasSignedInHint('')).toBe(false);
    expect(hasSignedInHint('relate_signed_in=')).toBe(false);
    expect(hasSignedInHint('not_relate_signed_in=1')).toBe(false);
  });
});
