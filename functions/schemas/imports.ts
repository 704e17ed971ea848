import { z } from '@hono/zod-openapi';
import { DELIMITERS } from '../domain/csv/parse';
import { DEDUPE_MODES, IMPORT_ENTITIES, IMPORT_STATUSES, MAX_COLUMNS } from '../domain/imports';

export const importCreate = z
  .object({
    entity: z.enum(IMPORT_ENTITIES).openapi({ description: 'What the rows are' }),
    filename: z.string().trim().min(1).max(200).openapi({ description: 'The file’s name, shown in the list of imports' }),
  })
  .strict()
  .openapi('ImportCreate');

const fieldKey = z.string().max(64).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a field key');

export const importStart = z
  .object({
    mapping: z
      .array(fieldKey.nullable())
      .max(MAX_COLUMNS)
      .openapi({ description: "A field key (from the import's `fields`) or null (ignore) for each column, in the file's order" }),
    dedupe: z.enum(DEDUPE_MODES).openapi({
      description: 'What a row whose natural key (a contact’s email, a company’s domain, a product’s SKU, an order’s number) matches a record does: update that record with its values, or skip (an order this import made still takes its later lines)',
    }),
  })
  .strict()
  .openapi('ImportStart');
export type ImportStart = z.infer<typeof importStart>;

export const importSchema = z
  .object({
    id: z.string(),
    entity: z.enum(IMPORT_ENTITIES),
    filename: z.string(),
    status: z.enum(IMPORT_STATUSES).openapi({
      description: 'uploading (waiting for its file), uploaded (checked; map and start it), running, done, failed (the file was refused: see error), undoing, undone',
    }),
    error: z.string().nullable(),
    delimiter: z.enum(DELIMITERS).nullable(),
    headers: z.array(z.string()),
    preview: z.array(z.array(z.string())).openapi({ description: 'The first rows of the file, as they read' }),
    fields: z.array(z.object({ key: z.string(), label: z.string() })).openapi({ description: 'What a column can be mapped to' }),
    suggestedMapping: z.array(z.string().nullable()).openapi({ description: 'A field per column, guessed from the headers' }),
    mapping: z.array(z.string().nullable()).nullable(),
    dedupe: z.enum(DEDUPE_MODES).nullable(),
    totalRows: z.number().int().openapi({ description: 'Rows in the file, its header not counted' }),
    bytes: z.number().int(),
    processed: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    rejected: z.number().int(),
    createdAt: z.string().datetime(),
    startedAt: z.string().datetime().nullable(),
    finishedAt: z.string().datetime().nullable(),
    undoneAt: z.string().datetime().nullable(),
    undoUntil: z.string().datetime().nullable().openapi({ description: 'For a finished import, until when it can be undone (the undo window after it finished); past it, Undo is refused' }),
  })
  .openapi('Import');
export type ImportView = z.infer<typeof importSchema>;

export const importList = z.object({ data: z.array(importSchema) }).openapi('ImportList');
