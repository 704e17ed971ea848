import type { Delimiter } from './parse';

// Writing CSV per RFC 4180: CRLF after every record, a field in double
// quotes when it holds the delimiter, a quote or a line break (quotes
// doubled inside). A record of one empty field is written "" so that it
// does not read back as an empty line, which is no record.

export type Cell = string | number | boolean | null | undefined;

const NEEDS_QUOTES = { ',': /[",\r\n]/, ';': /[";\r\n]/, '\t': /["\t\r\n]/ } as const;

export function csvField(value: string, delimiter: Delimiter = ','): string {
  return NEEDS_QUOTES[delimiter].test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRecord(fields: readonly string[], delimiter: Delimiter = ','): string {
  if (fields.length === 1 && fields[0] === '') return '""\r\n';
  return `${fields.map((f) => csvField(f, delimiter)).join(delimiter)}\r\n`;
}

// A spreadsheet runs a cell that starts with = + - @ (or a tab or CR
// before one) as a formula: a contact named =HYPERLINK(...) would run in
// whoever opens the export. OWASP's advice (owasp.org/www-community/
// attacks/CSV_Injection): prefix such a cell with an apostrophe, which the
// spreadsheet shows as text. Numbers we write ourselves are left alone.
const FORMULA_START = /^[=+\-@\t\r]/;

export function spreadsheetSafe(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell !== 'string') return String(cell);
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

// The byte-order mark Excel needs to read a CSV file as UTF-8.
export const UTF8_BOM = '\uFEFF';
