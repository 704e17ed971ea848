import { and, eq } from 'drizzle-orm';
import { importChunks, imports } from '../../../db/schema';
import { CsvError, detectDelimiter, parseCsv, type Delimiter } from '../../domain/csv/parse';
import { EncodingError, Utf8Reader } from '../../domain/csv/utf8';
import { CHUNK_CHARS, MAX_COLUMNS, MAX_IMPORT_BYTES, MAX_RECORD_CHARS, PREVIEW_ROWS } from '../../domain/imports';
import { AppError, conflict, notFound } from '../errors';
import type { Scope } from '../scope';

// Receiving a file: its bytes stream in, are checked (size, UTF-8, CSV
// quoting) as they come and are stored in chunks of whole records, never
// held whole. A file that fails a check leaves nothing behind but the
// import's row, marked failed with the reason.

const SAMPLE_CHARS = 64 * 1024;
const MB = MAX_IMPORT_BYTES / 1024 / 1024;

export const tooLarge = () => new AppError(413, 'payload_too_large', `The file is over ${MB} MB; split it into smaller files`);
const badFile = (message: string, line: number | null) => new AppError(422, 'invalid_file', message, line === null ? undefined : { line });

type Received = {
  delimiter: Delimiter;
  headers: string[];
  preview: string[][];
  totalRows: number;
  chunks: number;
  bytes: number;
  headerEnd: number;
  firstLine: number;
};

// Reads the stream to its end, storing chunks through `store`.
async function receive(body: ReadableStream<Uint8Array>, store: (seq: number, text: string) => Promise<void>): Promise<Received> {
  const reader = body.getReader();
  const utf8 = new Utf8Reader();
  let bytes = 0;
  let buffer = '';
  let pending = '';
  let delimiter: Delimiter | null = null;
  let line = 1;
  let headers: string[] | null = null;
  let headerEnd = 0;
  let firstLine = 1;
  const preview: string[][] = [];
  let totalRows = 0;
  let chunks = 0;
  for (let done = false; !done; ) {
    const read = await reader.read();
    done = read.done;
    if (read.value) {
      bytes += read.value.byteLength;
      if (bytes > MAX_IMPORT_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
    }
    buffer += utf8.read(read.value ?? new Uint8Array(0), done);
    if (!delimiter) {
      if (buffer.length < SAMPLE_CHARS && !done) continue;
      delimiter = detectDelimiter(buffer.slice(0, SAMPLE_CHARS));
    }
    const parsed = parseCsv(buffer, { delimiter, line, final: done });
    for (const record of parsed.records) {
      if (!headers) {
        headers = record.fields.map((h, i) => h.trim() || `Column ${i + 1}`);
        // The job starts after the header: where it ends, on which line.
        const head = parseCsv(buffer, { delimiter, limit: 1, final: done });
        headerEnd = head.next;
        firstLine = head.line;
      } else {
        totalRows += 1;
        if (preview.length < PREVIEW_ROWS) preview.push(record.fields);
      }
    }
    pending += buffer.slice(0, parsed.next);
    buffer = buffer.slice(parsed.next);
    line = parsed.line;
    if (buffer.length > MAX_RECORD_CHARS) {
      throw badFile(`The record on line ${line} runs on past 1 MB: a quote is probably left open there`, line);
    }
    if (pending.length >= CHUNK_CHARS || (done && pending.length)) {
      await store(chunks, pending);
      chunks += 1;
      pending = '';
    }
  }
  if (!headers || !delimiter) throw badFile('The file is empty', null);
  if (headers.length > MAX_COLUMNS) throw badFile(`The file has ${headers.length} columns; at most ${MAX_COLUMNS} can be imported`, 1);
  return { delimiter, headers, preview, totalRows, chunks, bytes, headerEnd, firstLine };
}

export async function receiveFile(scope: Scope, id: string, body: ReadableStream<Uint8Array> | null, declaredLength: number | null) {
  const where = scope.ws.scope(imports, eq(imports.id, id));
  const [row] = await scope.db.select({ status: imports.status }).from(imports).where(where);
  if (!row) throw notFound('Import');
  if (row.status !== 'uploading') throw conflict('This import already has its file; start a new import for another');
  const fail = async (error: AppError) => {
    await scope.ws.batch([
      scope.db.delete(importChunks).where(scope.ws.scope(importChunks, eq(importChunks.importId, id))),
      scope.db.update(imports).set({ status: 'failed', error: error.message, updatedAt: scope.now }).where(and(where, eq(imports.status, 'uploading'))),
    ]);
    return error;
  };
  // A declared size over the limit is refused before a byte is read.
  if (declaredLength !== null && declaredLength > MAX_IMPORT_BYTES) throw await fail(tooLarge());
  if (!body) throw await fail(badFile('The file is empty', null));
  let received: Received;
  try {
    received = await receive(body, async (seq, text) => {
      await scope.ws.insert(importChunks, { importId: id, seq, text });
    });
  } catch (error) {
    if (error instanceof AppError) throw await fail(error);
    if (error instanceof CsvError || error instanceof EncodingError) throw await fail(badFile(error.message, error.line));
    throw error;
  }
  const { headerEnd, firstLine, ...stored } = received;
  await scope.db
    .update(imports)
    .set({ ...stored, status: 'uploaded', cursorChunk: 0, cursorOffset: headerEnd, cursorLine: firstLine, updatedAt: scope.now })
    .where(and(where, eq(imports.status, 'uploading')));
}
