// What a CSV import is, apart from any object: the objects that can be
// imported, its states, how it treats a row whose record already exists,
// and the sizes it works in.

export const IMPORT_ENTITIES = ['contact', 'company', 'product', 'order'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

// uploading → uploaded (checked, previewed) → running → done; a file that
// fails its checks is failed (and keeps nothing of the file). Undo: done →
// undoing → undone.
export const IMPORT_STATUSES = ['uploading', 'uploaded', 'running', 'done', 'failed', 'undoing', 'undone'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

// A row whose natural key (email, domain, SKU, external id) matches a
// record: update that record with the row's values, or leave it alone.
export const DEDUPE_MODES = ['update', 'skip'] as const;
export type DedupeMode = (typeof DEDUPE_MODES)[number];

// The largest file taken (Excel's sheet of 1,048,576 rows of ~50 bytes).
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
// A stored chunk closes at the first record boundary past this many
// characters: ~256 KB, a fraction of a Worker's 128 MB and of a libSQL
// statement's limit, and a couple of thousand rows of a typical file.
export const CHUNK_CHARS = 256 * 1024;
// A record longer than this is a quote left open, not a record.
export const MAX_RECORD_CHARS = 1024 * 1024;
// Rows shown before the import starts.
export const PREVIEW_ROWS = 20;
// At most this many columns are mapped.
export const MAX_COLUMNS = 200;
// Rows one step of the job writes: one batch, one transaction. Larger steps
// cost fewer round trips and fewer full-text index segments (FTS5 writes
// one per transaction and merges them later); 5,000 rows of JSON are a few
// MB, well inside a Worker.
export const ROWS_PER_STEP = 5000;
// Ledger entries one undo step restores or trashes.
export const UNDO_PER_STEP = 2000;
