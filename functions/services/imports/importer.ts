import type { SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { z } from 'zod';
import type { MappableField } from '../../domain/csv/mapping';
import type { IdKind } from '../../domain/ids';
import type { ImportEntity } from '../../domain/imports';
import type { Scope } from '../scope';

// What an import needs to know of an object, and all it needs: the job
// (./run.ts) reads the file, maps and validates rows, matches them to
// existing records and keeps the ledger; an Importer turns a row into the
// object's create input and writes many records at once.
//
// To import another object (products, orders), write one of these and add
// it to IMPORTERS (./index.ts):
// - `fields`: what a column can be mapped to, with a label and the header
//   names it is recognised by (matched without case, accents or
//   punctuation: "E-mail" is "email");
// - `toInput(cells)`: the mapped, non-empty cells of a row, by field key,
//   as the create schema's input; leave conversion errors for the schema;
// - `schema`: the object's own create schema (functions/schemas/*), which
//   validates each row exactly as the API validates a create;
// - `keysOf(input)`: the row's natural keys, normalised as stored (an
//   email lower-cased, a SKU as is); a row without one is always created;
// - `findExisting(scope, keys)`: one query for the live records holding any
//   of the keys, each under every key of the chunk it holds; a record
//   this import wrote already (its ledger has it) is marked `own` (later
//   rows of the file still reach it when dedupe is "skip", and it is not
//   counted as updated again), one
//   in the trash `trashed` (refused under "skip", brought back by
//   "update" if the importer's update clears deleted_at); an importer
//   that merges marks one an earlier step skipped `skipped`, so it is
//   counted once;
// - `createMany` / `updateMany`: statements that write all the chunk's new
//   rows and updates, each statement gated on `guard` (the batch writes
//   only if the job's cursor is still where this step read it, so a
//   redelivered message writes nothing twice). Write many rows per
//   statement (json_each over one JSON parameter: see ../sql-rows.ts), not one
//   statement per row, and keep what the object's service keeps (derived
//   columns, search text);
// - `table` and `restorable`: Undo trashes what the import created, and
//   puts back the `restorable` columns (names as in SQL) of what it
//   updated, as the ledger saved them just before the update.
//
// Objects that a file spreads over several rows (an order, one row per
// line) also give:
// - `merge(a, b)`: two rows of one key as one input, so a step groups
//   the rows of a key instead of ending where a key repeats;
// - `check(input, existing)`: a refusal (the reason) that needs the
//   record as stored, such as amounts read in the stored currency;
// - `ledgerBefore`: more of the record for the ledger to keep (name,
//   value pairs of SQL's json_object over the table's row), and
//   `undoMore`, the statements that put those back and trash what else
//   the import made (the ledger holds those records' ids too).
export type Importer<Input, Existing extends { id: string }> = {
  entity: ImportEntity;
  idKind: IdKind;
  fields: readonly MappableField[];
  // Names for a schema issue's path, by prefix ('emails.0' → 'Email').
  pathLabels: Record<string, string>;
  toInput(cells: Record<string, string>): unknown;
  schema: z.ZodType<Input>;
  keysOf(input: Input): string[];
  findExisting(scope: Scope, keys: string[], importId: string): Promise<Map<string, Existing & Matched>>;
  createMany(scope: Scope, rows: { id: string; input: Input }[], context: WriteContext): BatchItem<'sqlite'>[];
  updateMany(scope: Scope, rows: { existing: Existing; input: Input }[], context: WriteContext): BatchItem<'sqlite'>[];
  table: string;
  restorable: readonly string[];
  merge?(a: Input, b: Input): Input;
  check?(input: Input, existing: Existing | undefined): string | null;
  ledgerBefore?: SQL;
  undoMore?(scope: Scope, window: UndoWindow): BatchItem<'sqlite'>[];
};

export type Matched = { own?: boolean; trashed?: boolean; skipped?: boolean };
export type WriteContext = { guard: SQL; ownerId: string | null; importId: string };
// The ledger entries one undo step covers (`i` as import_items), and the
// step's gate.
export type UndoWindow = { importId: string; inWindow: (action: 'created' | 'updated') => SQL; guard: SQL };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyImporter = Importer<any, { id: string }>;

// A cell as a list: "a; b, c" or "a|b".
export const listCell = (text: string | undefined) =>
  text
    ? [...new Set(text.split(/[;,|]/).map((s) => s.trim()).filter(Boolean))]
    : undefined;

// Tags and other case-blind lists, merged: the first spelling stays.
export function mergeCaseBlind(had: string[], added: string[] | undefined, max: number): string[] {
  if (!added) return had;
  const seen = new Set(had.map((t) => t.toLowerCase()));
  const out = [...had];
  for (const tag of added) {
    if (out.length >= max) break;
    if (!seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  }
  return out;
}
