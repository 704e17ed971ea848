import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { companyExportQuery, contactExportQuery, csvFile, orderExportQuery, productExportQuery } from '../schemas/exports';
import { exportCsv } from '../services/exports';
import { companyExport, contactExport, orderExport, productExport } from '../services/exports/lists';
import { router } from './env';
import { contractsOf } from './contract';

// GET /api/<list>/export: the list as it is filtered, as a CSV download.
// Mounted before the object's own routes, so /export is not read as an id.
const exportRoute = <Q extends z.ZodObject>(plural: string, query: Q) =>
  contractsOf(plural)({
    method: 'get',
    path: '/export',
    summary: `Export the ${plural} a filter matches as CSV`,
    description:
      `Takes the list's filters, trash switch and sort (not its page) and the visible columns, and streams every ${plural.slice(0, -1)} that matches as a CSV file (RFC 4180, UTF-8 with a byte-order mark so Excel reads it). ` +
      'Cells a spreadsheet would run as a formula (starting with = + - @, a tab or a CR) are prefixed with an apostrophe.',
    permission: 'records:read',
    request: { query },
    responses: { 200: csvFile(`The ${plural} as CSV`) },
  });

export const download = (c: Context, file: { filename: string; body: ReadableStream<Uint8Array> }) =>
  c.body(file.body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${file.filename}"`,
    'cache-control': 'no-store',
  });

export const contactExportRoutes = router().openapi(exportRoute('contacts', contactExportQuery), async (c) => {
  const { columns, ...query } = c.req.valid('query');
  return download(c, await exportCsv(c.get('scope'), contactExport, query, columns));
});

export const companyExportRoutes = router().openapi(exportRoute('companies', companyExportQuery), async (c) => {
  const { columns, ...query } = c.req.valid('query');
  return download(c, await exportCsv(c.get('scope'), companyExport, query, columns));
});

export const productExportRoutes = router().openapi(exportRoute('products', productExportQuery), async (c) => {
  const { columns, ...query } = c.req.valid('query');
  return download(c, await exportCsv(c.get('scope'), productExport, query, columns));
});

export const orderExportRoutes = router().openapi(exportRoute('orders', orderExportQuery), async (c) => {
  const { columns, ...query } = c.req.valid('query');
  return download(c, await exportCsv(c.get('scope'), orderExport, query, columns));
});
