import { z } from '@hono/zod-openapi';
import { MAX_IMPORT_BYTES } from '../domain/imports';
import { csvFile } from '../schemas/exports';
import { importCreate, importList, importSchema, importStart } from '../schemas/imports';
import { createImport, startImport, undoImport } from '../services/imports/operations';
import { receiveFile } from '../services/imports/upload';
import { getImport, listImports, rejectsReport } from '../services/imports/views';
import { router } from './env';
import { contractsOf } from './contract';
import { errorSchema } from './errors';
import { download } from './exports';
import { idParam, json, jsonBody } from './openapi';

const contract = contractsOf('imports');
const params = idParam('imp');
const MB = MAX_IMPORT_BYTES / 1024 / 1024;

// CSV imports: made, given their file, started with a column mapping, run
// by a queue job, reported on and undone.
export const importsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List imports',
      description: "The workspace's last 100 imports, newest first, with their state and counts.",
      permission: 'records:read',
      responses: { 200: json(importList, 'The imports') },
    }),
    async (c) => c.json(await listImports(c.get('scope'), c.get('deps').config.undoWindowMs), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Begin an import',
      description: 'Makes an import of the given object, waiting for its file (PUT /api/imports/{id}/file). Contacts, companies, products and orders can be imported; an orders file has a row per order line (as Shopify and WooCommerce export it), the order\'s columns on at least its first row.',
      permission: 'records:write',
      request: jsonBody(importCreate),
      responses: { 201: json(importSchema, 'The import, waiting for its file') },
    }),
    async (c) => c.json(await createImport(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}',
      summary: 'Get an import',
      description: "An import's state and progress: rows gone through, created, updated, skipped and rejected. Poll it while it runs.",
      permission: 'records:read',
      request: { params },
      responses: { 200: json(importSchema, 'The import') },
    }),
    async (c) => c.json(await getImport(c.get('scope'), c.req.valid('param').id, c.get('deps').config.undoWindowMs), 200),
  )
  .openapi(
    contract({
      method: 'put',
      path: '/{id}/file',
      summary: "Upload an import's CSV file",
      description:
        `The file as the request body (text/csv, up to ${MB} MB: a larger one is refused with 413, by its Content-Length before it is read, or as soon as it passes the limit). ` +
        'It must be UTF-8 (a byte-order mark is fine; UTF-16 is refused) and its quotes closed; a file that fails is refused with 422 naming the line, and nothing of it is kept. ' +
        'The answer has the headers, the first rows, the row count, the delimiter found (comma, semicolon or tab) and a suggested mapping of columns to fields.',
      permission: 'records:write',
      request: { params, body: { content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } }, required: true } },
      responses: { 200: json(importSchema, 'The file is checked and stored'), 413: json(errorSchema, 'The file is too large') },
    }),
    async (c) => {
      const scope = c.get('scope');
      const id = c.req.valid('param').id;
      const length = c.req.header('content-length');
      await receiveFile(scope, id, c.req.raw.body, length === undefined ? null : Number(length));
      return c.json(await getImport(scope, id, c.get('deps').config.undoWindowMs), 200);
    },
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/start',
      summary: 'Start an import',
      description:
        'Starts the rows with a mapping (a field or null for each column) and what to do with a row that matches an existing record (update or skip). It runs as a queue job in chunks; each row is validated like a create through the API, and a row that fails is rejected with its line and reason while the rest go on.',
      permission: 'records:write',
      request: { params, ...jsonBody(importStart) },
      responses: { 202: json(importSchema, 'Started') },
    }),
    async (c) => c.json(await startImport(c.get('scope'), c.get('deps').queues, c.req.valid('param').id, c.req.valid('json')), 202),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/undo',
      summary: 'Undo an import',
      description: "Moves the records the import created to the trash and puts back the values of those it updated, as a queue job. Only a finished import, once, within the undo window (UNDO_WINDOW_DAYS, 30 days by default) after it finished: past it the import's ledger is forgotten (409).",
      permission: 'records:delete',
      request: { params },
      responses: { 202: json(importSchema, 'Undoing') },
    }),
    async (c) => c.json(await undoImport(c.get('scope'), c.get('deps').queues, c.req.valid('param').id, c.get('deps').config.undoWindowMs), 202),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}/rejects',
      summary: "Download an import's rejected rows",
      description: 'The rows the import did not write, as CSV: the line of the file, the reason, and the row as it was, so it can be fixed and imported again.',
      permission: 'records:read',
      request: { params },
      responses: { 200: csvFile('The rejected rows') },
    }),
    async (c) => download(c, await rejectsReport(c.get('scope'), c.req.valid('param').id)),
  );
