import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeHost } from '../../functions/node';
import { runMaintenance } from '../../functions/jobs/maintenance';
import type { MaintenanceMessage } from '../../functions/jobs/queues';
import { freePort } from '../fixtures/ports';
import { api, signUp as signUpAs, type Session } from './http-session';

// CSV import of a shop's orders export, 100,000 line rows (issue 7: "a
// 100k-row file must work"), on the Node host as `npm start` runs it: a
// catalogue of 200 products imported first, then a Shopify-style file (one
// row per order line, the order's columns on its first row only) of about
// 40,000 orders from 10,000 customers, each made from their email. Timed
// end to end (upload, start, the queue job to done) and as the job's work
// alone (its messages back to back in process, in a second workspace).
// Written between the markers below in results.md and as "importOrders"
// in results.json; BENCH_ONLY=import-orders runs it.

export const IMPORT_ORDERS_START = '<!-- import-orders:start (written by npm run bench) -->';
export const IMPORT_ORDERS_END = '<!-- import-orders:end -->';

export type ImportOrdersReport = {
  date: string;
  loadAverage: number[];
  rows: number;
  orders: number;
  customers: number;
  bytes: number;
  uploadSeconds: number;
  endToEndSeconds: number;
  workSeconds: number;
};

const PRODUCTS = 200;
const CUSTOMERS = 10_000;
const HEADER = 'Name,Email,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Refunded Amount';
const STATUSES = ['paid', 'paid', 'paid', 'paid', 'paid', 'paid', 'pending', 'refunded', 'partially_refunded', 'voided'];

export function productsFile(): string {
  const lines = ['SKU,Title,Type,Price,Currency,Published'];
  for (let p = 0; p < PRODUCTS; p++) lines.push(`SKU-${p},Product ${p},Type ${p % 12},${(5 + (p % 40) * 2.5).toFixed(2)},USD,yes`);
  return `${lines.join('\n')}\n`;
}

// Lines of 1–4 per order until `rows`; a deterministic mix of statuses,
// and every fifth order's lines priced off the catalogue.
export function ordersFile(rows: number): { text: string; orders: number } {
  const lines = [HEADER];
  let order = 0;
  while (lines.length - 1 < rows) {
    const count = Math.min(1 + ((order * 7) % 4), rows - (lines.length - 1));
    const customer = (order * 7919) % CUSTOMERS;
    const day = new Date(Date.UTC(2025, 0, 1) + (order % 700) * 86_400_000).toISOString().slice(0, 10);
    const items = Array.from({ length: count }, (_, i) => {
      const p = (order * 31 + i * 17) % PRODUCTS;
      return { p, quantity: 1 + ((order + i) % 3), price: 5 + (p % 40) * 2.5 };
    });
    const subtotal = items.reduce((sum, item) => sum + item.quantity * item.price, 0);
    const status = STATUSES[order % STATUSES.length]!;
    const refunded = status === 'partially_refunded' ? (subtotal / 4).toFixed(2) : '';
    items.forEach((item, i) => {
      const header = i === 0 ? `${status},USD,${subtotal.toFixed(2)},4.90,0.00,${(subtotal + 4.9).toFixed(2)},0.00` : ',,,,,,';
      lines.push(`#${10000 + order},customer${customer}@shop.example,${header},${day} 10:00:00 +0000,${item.quantity},Product ${item.p},${item.price.toFixed(2)},SKU-${item.p},${i === 0 ? `Buyer ${customer}` : ''},${i === 0 ? refunded : ''}`);
    });
    order += 1;
  }
  return { text: `${lines.join('\n')}\n`, orders: order };
}

const signUp = (base: string, n: number) => signUpAs(base, { email: `shop${n}@bench.example`, name: 'Shop importer', workspaceName: `Orders bench ${n}` });

async function started(base: string, s: Session, entity: string, file: string) {
  const made = await api(base, s, 'POST', '/api/imports', JSON.stringify({ entity, filename: `${entity}s.csv` }));
  const at = process.hrtime.bigint();
  const item = await api(base, s, 'PUT', `/api/imports/${made.id}/file`, file, 'text/csv');
  const uploadSeconds = seconds(at);
  await api(base, s, 'POST', `/api/imports/${made.id}/start`, JSON.stringify({ mapping: item.suggestedMapping, dedupe: 'update' }));
  return { id: made.id as string, uploadSeconds };
}

async function finished(base: string, s: Session, id: string) {
  let item: Record<string, any>;
  do {
    await new Promise((resolve) => setTimeout(resolve, 50));
    item = await api(base, s, 'GET', `/api/imports/${id}`);
  } while (item.status === 'running');
  if (item.status !== 'done' || item.rejected) throw new Error(`import ended ${JSON.stringify(item)}`);
  return item;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

export async function runImportOrdersBench(rows: number, log: (line: string) => void): Promise<ImportOrdersReport> {
  const loadAverage = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'relate-import-orders-bench-'));
  const port = await freePort();
  const host = await startNodeHost({ PORT: String(port), DATABASE_URL: `file:${join(dir, 'import.db')}`, SEED_DEMO: 'false' });
  const base = `http://localhost:${port}`;
  try {
    const { text: file, orders } = ordersFile(rows);
    log(`Import: ${rows.toLocaleString('en')} order lines (${orders.toLocaleString('en')} orders), ${(Buffer.byteLength(file) / 1e6).toFixed(1)} MB`);

    const one = await signUp(base, 1);
    await finished(base, one, (await started(base, one, 'product', productsFile())).id);
    const at = process.hrtime.bigint();
    const first = await started(base, one, 'order', file);
    const item = await finished(base, one, first.id);
    const endToEndSeconds = seconds(at);
    if (item.created !== orders) throw new Error(`import ended ${JSON.stringify(item)}`);
    const customers = (await api(base, one, 'GET', '/api/contacts/count')).count as number;
    log(`  end to end: ${endToEndSeconds.toFixed(2)} s (upload ${first.uploadSeconds.toFixed(2)} s), ${Math.round(rows / endToEndSeconds).toLocaleString('en')} rows/s; ${customers} customers`);

    await host.queue.stop();
    const two = await signUp(base, 2);
    const { workspaceId } = two;
    const sent: unknown[] = [];
    const deps = { db: host.deps.db, now: Date.now, undoWindowMs: 1, queues: { send: async (_q: string, body: unknown) => void sent.push(body), sendBatch: async () => {} } };
    const drain = async (importId: string) => {
      const message: MaintenanceMessage = { type: 'import', workspaceId, importId };
      for (let next: unknown = message; next; next = sent.shift()) await runMaintenance(deps, next);
    };
    await drain((await started(base, two, 'product', productsFile())).id);
    const second = await started(base, two, 'order', file);
    const workAt = process.hrtime.bigint();
    await drain(second.id);
    const workSeconds = seconds(workAt);
    const done = await api(base, two, 'GET', `/api/imports/${second.id}`);
    if (done.status !== 'done' || done.created !== orders) throw new Error(`import ended ${JSON.stringify(done)}`);
    log(`  work alone: ${workSeconds.toFixed(2)} s, ${Math.round(rows / workSeconds).toLocaleString('en')} rows/s`);
    return { date: new Date().toISOString(), loadAverage, rows, orders, customers, bytes: Buffer.byteLength(file), uploadSeconds: first.uploadSeconds, endToEndSeconds, workSeconds };
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderImportOrdersSection(r: ImportOrdersReport): string {
  const rate = (s: number) => Math.round(r.rows / s).toLocaleString('en');
  return [
    IMPORT_ORDERS_START,
    '## CSV import of orders (issue 7)',
    '',
    `${r.date}; a Shopify-style export of ${r.rows.toLocaleString('en')} order lines (${r.orders.toLocaleString('en')} orders of 1–4 lines, ${r.customers.toLocaleString('en')} customers made from their emails, lines linked to a 200-product catalogue by SKU) in a ${(r.bytes / 1e6).toFixed(1)} MB file, dedupe "update", on the Node host (one process); load average ${r.loadAverage.map((v) => v.toFixed(2)).join(', ')} as it began (${availableParallelism()} cores). Rows of an order are grouped within a step; the dashboards' running totals follow by trigger in the same transactions.`,
    '',
    '| Measure | Time | Lines/s |',
    '| --- | --- | --- |',
    `| End to end: upload, start, the queue job to done (the queue's delivery included) | ${r.endToEndSeconds.toFixed(2)} s | ${rate(r.endToEndSeconds)} |`,
    `| Upload alone | ${r.uploadSeconds.toFixed(2)} s | ${rate(r.uploadSeconds)} |`,
    `| The job's work alone (its messages back to back in process) | ${r.workSeconds.toFixed(2)} s | ${rate(r.workSeconds)} |`,
    IMPORT_ORDERS_END,
  ].join('\n');
}

export function importOrdersResultSection(r: ImportOrdersReport) {
  const rate = (s: number) => Math.round(r.rows / s);
  return {
    importOrders: {
      benchmark: 'BENCH_ONLY=import-orders npm run bench (test/bench/import-orders.ts)',
      date: r.date,
      loadAverageAtStart: r.loadAverage.map((v) => Number(v.toFixed(2))),
      rows: r.rows,
      orders: r.orders,
      customers: r.customers,
      bytes: r.bytes,
      endToEnd: { seconds: Number(r.endToEndSeconds.toFixed(3)), rowsPerSec: rate(r.endToEndSeconds) },
      upload: { seconds: Number(r.uploadSeconds.toFixed(3)), rowsPerSec: rate(r.uploadSeconds) },
      work: { seconds: Number(r.workSeconds.toFixed(3)), rowsPerSec: rate(r.workSeconds) },
    },
  };
}

export function writeImportOrdersSection(path: string, block: string) {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = text.indexOf(IMPORT_ORDERS_START);
  const end = text.indexOf(IMPORT_ORDERS_END);
  const next = start >= 0 && end > start ? `${text.slice(0, start)}${block}${text.slice(end + IMPORT_ORDERS_END.length)}` : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
