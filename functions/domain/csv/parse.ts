// CSV as RFC 4180 writes it (fields split by a delimiter, records by CRLF,
// LF or CR; a field in double quotes may hold delimiters, line breaks and
// "" for a quote), read the way spreadsheets read it where the RFC is
// strict: a quote inside an unquoted field is a character like any other,
// text after a closing quote is kept, and an empty line is no record.
//
// The parser starts at any record boundary (`from`), so an import can stop
// after a chunk of rows and carry on later from a stored offset, and reads
// text that may end mid-record (`final: false`): it then stops at the last
// complete record, for the caller to continue once more text has come.

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export type CsvRecord = {
  fields: string[];
  // The line of the file the record starts on (1-based).
  line: number;
  // The offset just past it (and its line break): a record boundary.
  end: number;
};

export type Parsed = {
  records: CsvRecord[];
  // The offset just past the last record read: a record boundary.
  next: number;
  // The line `next` is on.
  line: number;
};

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

type Options = { delimiter: Delimiter; from?: number; line?: number; final?: boolean; limit?: number };

export function parseCsv(text: string, options: Options): Parsed {
  const delimiter = options.delimiter.charCodeAt(0);
  const final = options.final ?? true;
  const limit = options.limit ?? Infinity;
  const records: CsvRecord[] = [];
  let pos = options.from ?? 0;
  let line = options.line ?? 1;
  const end = text.length;

  while (pos < end && records.length < limit) {
    const start = pos;
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let at = pos;
    let complete = false;
    let incomplete = false;
    // One field per pass of this loop; the record ends at a line break.
    for (;;) {
      if (text.charCodeAt(at) === QUOTE) {
        const openedOn = line;
        let chunkStart = at + 1;
        let i = chunkStart;
        field = '';
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) {
            if (final) throw new CsvError(`A quoted field that opens on line ${openedOn} is never closed`, openedOn);
            incomplete = true;
            break;
          }
          line += countBreaks(text, i, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            field += text.slice(chunkStart, q + 1);
            i = chunkStart = q + 2;
            continue;
          }
          if (q + 1 === end && !final) {
            incomplete = true;
            break;
          }
          field += text.slice(chunkStart, q);
          at = q + 1;
          break;
        }
        if (incomplete) break;
        // Anything after the closing quote up to the delimiter is kept.
        const stop = fieldEnd(text, at, delimiter);
        field += text.slice(at, stop);
        at = stop;
      } else {
        const stop = fieldEnd(text, at, delimiter);
        field = text.slice(at, stop);
        at = stop;
      }
      fields.push(field);
      if (at >= end) {
        if (!final) incomplete = true;
        else complete = true;
        break;
      }
      const c = text.charCodeAt(at);
      if (c === delimiter) {
        at += 1;
        continue;
      }
      // A line break ends the record; a CR at the very end of unfinished
      // text may be the first half of a CRLF.
      if (c === CR) {
        if (at + 1 >= end && !final) {
          incomplete = true;
          break;
        }
        at += text.charCodeAt(at + 1) === LF ? 2 : 1;
      } else at += 1;
      line += 1;
      complete = true;
      break;
    }
    if (incomplete || !complete) {
      return { records, next: start, line: startLine };
    }
    pos = at;
    if (fields.length === 1 && fields[0] === '' && text.charCodeAt(start) !== QUOTE) continue;
    records.push({ fields, line: startLine, end: at });
  }
  return { records, next: pos, line };
}

// Where an unquoted stretch ends: at the delimiter or a line break.
function fieldEnd(text: string, from: number, delimiter: number): number {
  let i = from;
  const end = text.length;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === delimiter || c === LF || c === CR) return i;
    i++;
  }
  return end;
}

// Line breaks (CRLF, LF or CR) in text[from, to).
function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

// The delimiter of a file, from its first lines: the candidate that splits
// them into the same number (above one) of fields most consistently.
// Files of a single column, or that no candidate splits, are comma files.
export function detectDelimiter(sample: string): Delimiter {
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of DELIMITERS) {
    let records: CsvRecord[];
    try {
      records = parseCsv(sample, { delimiter, final: false, limit: 20 }).records;
    } catch {
      continue;
    }
    if (records.length === 0) continue;
    const width = records[0]!.fields.length;
    if (width < 2) continue;
    const agreeing = records.filter((r) => r.fields.length === width).length;
    const score = agreeing * 1000 + width;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}
