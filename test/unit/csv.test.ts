import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeHeader, suggestMapping } from '../../functions/domain/csv/mapping';
import { CsvError, DELIMITERS, detectDelimiter, parseCsv, type Delimiter } from '../../functions/domain/csv/parse';
import { Utf8Reader, EncodingError, firstInvalidByte } from '../../functions/domain/csv/utf8';
import { csvRecord, spreadsheetSafe } from '../../functions/domain/csv/write';

const fields = (text: string, delimiter: Delimiter = ',') => parseCsv(text, { delimiter }).records.map((r) => r.fields);

describe('parseCsv', () => {
  it('reads RFC 4180: quoted delimiters, doubled quotes and line breaks inside quotes', () => {
    expect(fields('a,b\r\n"x,y","say ""hi"""\r\n"two\r\nlines",z\r\n')).toEqual([
      ['a', 'b'],
      ['x,y', 'say "hi"'],
      ['two\r\nlines', 'z'],
    ]);
  });

  it('takes LF, CRLF and CR line ends, a last record without one, and skips empty lines', () => {
    expect(fields('a,b\n\nc,d\re,f\r\n\r\ng,h')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('reads like a spreadsheet where the RFC is strict: stray quotes are text, text after a closing quote is kept', () => {
    expect(fields('5" disk,"ab"c,""\n')).toEqual([['5" disk', 'abc', '']]);
  });

  it('numbers each record by the line it starts on', () => {
    const { records } = parseCsv('h\n"a\nb"\nc\n', { delimiter: ',' });
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('names the line a quote was left open on', () => {
    expect(() => parseCsv('a,b\nc,"d\ne,f\n', { delimiter: ',' })).toThrow(CsvError);
    try {
      parseCsv('a,b\nc,"d\ne,f\n', { delimiter: ',' });
    } catch (e) {
      expect((e as CsvError).line).toBe(2);
      expect((e as CsvError).message).toMatch(/line 2/);
    }
  });

  it('stops before a record the text does not finish, unless told the text is all', () => {
    const text = 'a,b\nc,"d\nmore';
    const partial = parseCsv(text, { delimiter: ',', final: false });
    expect(partial.records.map((r) => r.fields)).toEqual([['a', 'b']]);
    expect(partial.next).toBe(4);
    expect(partial.line).toBe(2);
    // A CR at the very end may be half a CRLF; a quote at the end half a "".
    expect(parseCsv('a,b\r', { delimiter: ',', final: false }).records).toEqual([]);
    expect(parseCsv('"a"', { delimiter: ',', final: false }).records).toEqual([]);
    expect(parseCsv('a,b', { delimiter: ',', final: false }).records).toEqual([]);
  });

  it('resumes at a record boundary and stops after a number of records', () => {
    const text = 'h1,h2\n1,2\n3,4\n5,6\n';
    const first = parseCsv(text, { delimiter: ',', limit: 2 });
    expect(first.records.map((r) => r.fields)).toEqual([['h1', 'h2'], ['1', '2']]);
    const rest = parseCsv(text, { delimiter: ',', from: first.next, line: first.line });
    expect(rest.records).toEqual([
      { fields: ['3', '4'], line: 3, end: 14 },
      { fields: ['5', '6'], line: 4, end: 18 },
    ]);
  });
});

describe('detectDelimiter', () => {
  it('finds comma, semicolon and tab files, and calls a one-column file a comma file', () => {
    expect(detectDelimiter('name,email\nAda,ada@example.com\n')).toBe(',');
    expect(detectDelimiter('name;email;note\nAda;ada@example.com;"a, b"\n')).toBe(';');
    expect(detectDelimiter('name\temail\nAda\tada@example.com\n')).toBe('\t');
    expect(detectDelimiter('email\nada@example.com\n')).toBe(',');
  });
});

// Tables of 1-6 columns of text that holds what CSV must escape.
const cellText = fc.string({ unit: fc.constantFrom('a', 'é', '😀', ' ', '"', ',', ';', '\t', '\r', '\n', '=', 'x'), maxLength: 8 });
const table = fc.integer({ min: 1, max: 6 }).chain((width) => fc.array(fc.array(cellText, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 12 }));

describe('writer and parser (properties)', () => {
  it('read back any table the writer writes, with any delimiter', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(...DELIMITERS), (rows, delimiter) => {
        const text = rows.map((r) => csvRecord(r, delimiter)).join('');
        expect(fields(text, delimiter)).toEqual(rows);
      }),
    );
  });

  it('read back the rest of the table from any record boundary, in chunks of any size', () => {
    fc.assert(
      fc.property(table, fc.nat(), fc.integer({ min: 1, max: 5 }), (rows, startAt, limit) => {
        const written = rows.map((r) => csvRecord(r));
        const skip = startAt % rows.length;
        const text = written.join('');
        let from = written.slice(0, skip).join('').length;
        const got: string[][] = [];
        for (;;) {
          const { records, next } = parseCsv(text, { delimiter: ',', from, limit });
          got.push(...records.map((r) => r.fields));
          if (next === from || next >= text.length) break;
          from = next;
        }
        expect(got).toEqual(rows.slice(skip));
      }),
    );
  });

  it('read the same records whether the text comes whole or in pieces (as an upload streams)', () => {
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 6 }), (rows, cuts) => {
        const text = rows.map((r) => csvRecord(r)).join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let buffer = '';
        const got: string[][] = [];
        for (const [i, end] of [...points, text.length].entries()) {
          buffer += text.slice(i === 0 ? 0 : points[i - 1], end);
          const { records, next } = parseCsv(buffer, { delimiter: ',', final: false });
          got.push(...records.map((r) => r.fields));
          buffer = buffer.slice(next);
        }
        got.push(...parseCsv(buffer, { delimiter: ',' }).records.map((r) => r.fields));
        expect(got).toEqual(rows);
      }),
    );
  });
});

describe('spreadsheetSafe', () => {
  it('puts an apostrophe before cells a spreadsheet would run as a formula', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
    expect(spreadsheetSafe('Ada')).toBe('Ada');
    expect(spreadsheetSafe('a=b')).toBe('a=b');
    expect(spreadsheetSafe(-5)).toBe('-5');
    expect(spreadsheetSafe(null)).toBe('');
  });
});

describe('Utf8Reader', () => {
  const bytes = (...b: number[]) => new Uint8Array(b);
  const enc = (s: string) => new TextEncoder().encode(s);

  it('drops a UTF-8 byte-order mark and joins characters split between pieces', () => {
    const r = new Utf8Reader();
    const all = enc('\uFEFFé,😀\n');
    expect(r.read(all.subarray(0, 4)) + r.read(all.subarray(4, 7)) + r.read(all.subarray(7), true)).toBe('é,😀\n');
  });

  it('refuses UTF-16', () => {
    expect(() => new Utf8Reader().read(bytes(0xff, 0xfe, 0x61, 0x00), true)).toThrow(/UTF-16/);
  });

  it('names the line of the first byte that is not UTF-8, across pieces', () => {
    const r = new Utf8Reader();
    r.read(enc('a,b\nc,d\n'));
    try {
      r.read(new Uint8Array([...enc('ok\nLatin-1 caf'), 0xe9, 0x0a]), true);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EncodingError);
      expect((e as EncodingError).line).toBe(4);
    }
  });

  it('refuses a NUL character, naming its line', () => {
    expect(() => new Utf8Reader().read(enc('a\nb\u0000\n'), true)).toThrow(/Line 2/);
  });

  it('refuses a sequence cut off at the end of the file', () => {
    expect(() => new Utf8Reader().read(bytes(0x61, 0x62, 0x63, 0xe2, 0x82), true)).toThrow(EncodingError);
  });

  it('finds overlong forms and surrogates as invalid', () => {
    expect(firstInvalidByte(bytes(0x61, 0xc0, 0xaf))).toBe(1);
    expect(firstInvalidByte(bytes(0xed, 0xa0, 0x80))).toBe(0);
    expect(firstInvalidByte(enc('héllo 😀'))).toBe(-1);
  });
});

describe('suggestMapping', () => {
  const known = [
    { key: 'email', label: 'Email', synonyms: ['e-mail address', 'mail'] },
    { key: 'firstName', label: 'First name', synonyms: ['given name', 'prénom'] },
  ];
  it('matches headers by key, label or synonym, ignoring case, accents and punctuation, once per field', () => {
    expect(suggestMapping(['E-Mail Address', 'Prenom', 'FIRST_NAME', 'Notes'], known)).toEqual(['email', 'firstName', null, null]);
    expect(normalizeHeader(' Prénom ')).toBe('prenom');
  });
});
