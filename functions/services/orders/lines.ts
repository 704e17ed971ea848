import { and, isNull, sql, type SQL } from 'drizzle-orm';
import { contacts, orderLines, products } from '../../../db/schema';
import type { OrderStatus } from '../../domain/commerce';
import { newId } from '../../domain/ids';
import { invalid } from '../errors';
import type { Scope } from '../scope';

// What orders are made of, shared by the single and batch writes: the
// lines resolved against the catalogue, the amounts worked out, and the
// lines' insert as one statement.

export type LineInput = { productId?: string; sku?: string; name?: string; quantity: number; unitPrice: number };
export type Line = { id: string; position: number; productId: string | null; sku: string | null; name: string; quantity: number; unitPrice: number; total: number };
type Catalogue = { byId: Map<string, { id: string; sku: string; name: string }>; bySku: Map<string, { id: string; sku: string; name: string }> };

// The products the lines name, by id or SKU, in one read; a product in the
// trash still links its SKU.
export async function catalogueFor(scope: Scope, lines: LineInput[]): Promise<Catalogue> {
  const ids = [...new Set(lines.flatMap((l) => (l.productId ? [l.productId] : [])))];
  const skus = [...new Set(lines.flatMap((l) => (l.sku ? [l.sku] : [])))];
  const byId = new Map<string, { id: string; sku: string; name: string }>();
  const bySku = new Map<string, { id: string; sku: string; name: string }>();
  if (ids.length + skus.length === 0) return { byId, bySku };
  const rows = await scope.db.all<{ id: string; sku: string; name: string }>(
    sql`select ${products.id} as "id", ${products.sku} as "sku", ${products.name} as "name" from ${products} where ${scope.ws.scope(
      products,
      sql`(${products.id} in (select value from json_each(${JSON.stringify(ids)})) or ${products.sku} in (select value from json_each(${JSON.stringify(skus)})))`,
    )}`,
  );
  for (const row of rows) {
    byId.set(row.id, row);
    bySku.set(row.sku, row);
  }
  return { byId, bySku };
}

// `path` says where a line sits in the request, for the error.
export function resolveLines(scope: Scope, input: LineInput[], catalogue: Catalogue, path: string): Line[] {
  return input.map((line, position) => {
    const product = line.productId ? catalogue.byId.get(line.productId) : line.sku ? catalogue.bySku.get(line.sku) : undefined;
    if (line.productId && !product) throw invalid('No such product in this workspace', [{ path: `${path}.${position}.productId`, message: 'not found' }]);
    const name = line.name ?? product?.name;
    if (!name) throw invalid('A line needs a name, or a product to take it from', [{ path: `${path}.${position}.name`, message: 'required' }]);
    return {
      id: newId('orderLine', scope.now),
      position,
      productId: product?.id ?? null,
      sku: line.sku ?? product?.sku ?? null,
      name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      total: line.quantity * line.unitPrice,
    };
  });
}

export type Amounts = { subtotal: number; discount: number; shipping: number; tax: number; total: number; refunded: number };

// The charged total defaults to the lines less the discount plus shipping
// and tax; a refunded order gave everything back unless it says otherwise.
export function amountsOf(
  lines: Pick<Line, 'total'>[],
  input: { discount?: number; shipping?: number; tax?: number; total?: number; refunded?: number },
  status: OrderStatus,
  path = '',
): Amounts {
  const subtotal = lines.reduce((sum, line) => sum + line.total, 0);
  const discount = input.discount ?? 0;
  const shipping = input.shipping ?? 0;
  const tax = input.tax ?? 0;
  const total = input.total ?? Math.max(0, subtotal - discount + shipping + tax);
  const refunded = input.refunded ?? (status === 'refunded' ? total : 0);
  if (refunded > total) throw invalid('The refund is more than the total', [{ path: `${path}refunded`, message: 'cannot be more than the total' }]);
  if (!Number.isSafeInteger(subtotal) || !Number.isSafeInteger(total)) {
    throw invalid('The amounts are too large', [{ path: `${path}lines`, message: 'too large' }]);
  }
  return { subtotal, discount, shipping, tax, total, refunded };
}

// The lines of one order as one INSERT … SELECT over their JSON, written
// only if `gate` holds as the batch runs.
export function insertLines(scope: Scope, orderId: string, lines: Line[], gate: SQL) {
  const rows = JSON.stringify(lines);
  const field = (key: string) => sql`json_extract(value, ${`$.${key}`})`;
  return scope.db.run(sql`insert into ${orderLines} (id, workspace_id, order_id, position, product_id, sku, name, quantity, unit_price, total)
    select ${field('id')}, ${scope.ws.workspaceId}, ${orderId}, ${field('position')}, ${field('productId')}, ${field('sku')}, ${field('name')},
      ${field('quantity')}, ${field('unitPrice')}, ${field('total')}
    from json_each(${rows}) where ${gate}`);
}

// A live contact of the workspace, as a write's condition.
export const liveContact = (scope: Scope, id: string) => scope.ws.exists(contacts, and(sql`${contacts.id} = ${id}`, isNull(contacts.deletedAt)));
