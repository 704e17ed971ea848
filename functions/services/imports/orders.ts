import { sql, type SQL } from 'drizzle-orm';
import { z } from '@hono/zod-openapi';
import { importItems, orderLines, orders } from '../../../db/schema';
import { ORDER_STATUSES, parseMajorAmount } from '../../domain/commerce';
import { newIds } from '../../domain/ids';
import { orderStatusOf, parseShopDate } from '../../domain/shop-export';
import { emailSchema } from '../../schemas/common';
import { currencySchema } from '../../schemas/products';
import { customerOf, insertCustomers } from '../orders/customers';
import type { Scope } from '../scope';
import type { Importer } from './importer';
import { planOrder, type OrderRow, type Plan, type StoredOrder } from '../../domain/order-plan';
import { member, rowsParam } from '../sql-rows';

// Orders from a shop's export, which writes one row per order line with
// the order's columns repeated (Shopify: on the first line's row only). A
// row says "this order has this header, and this line" (a line known by
// its SKU, else its name), so rows of one order may come in any order and
// any number of steps: a step merges the rows of an order into one
// record, and a later step's rows add their lines to the order an earlier
// step made or updated, whatever the dedupe mode. Updating an order that
// was there before, the file's lines replace its lines. Customers are found by email, or
// made, in the same batch, and kept in the ledger for Undo.

const FIELDS = [
  { key: 'externalId', label: 'Order number', synonyms: ['name', 'order', 'order id', 'order number', 'order no', 'order name', 'external id', 'number'] },
  { key: 'orderedAt', label: 'Ordered at', synonyms: ['created at', 'order date', 'date', 'date created', 'processed at'] },
  { key: 'email', label: 'Customer email', synonyms: ['email', 'billing email', 'email address', 'e-mail', 'customer e-mail'] },
  { key: 'customerName', label: 'Customer name', synonyms: ['billing name', 'customer', 'full name'] },
  { key: 'firstName', label: 'Customer first name', synonyms: ['billing first name', 'first name'] },
  { key: 'lastName', label: 'Customer last name', synonyms: ['billing last name', 'last name'] },
  { key: 'status', label: 'Status', synonyms: ['financial status', 'order status', 'payment status'] },
  { key: 'cancelledAt', label: 'Cancelled at', synonyms: ['canceled at', 'date cancelled'] },
  { key: 'currency', label: 'Currency', synonyms: ['order currency'] },
  { key: 'shipping', label: 'Shipping', synonyms: ['shipping total', 'shipping amount', 'order shipping', 'shipping cost'] },
  { key: 'tax', label: 'Tax', synonyms: ['taxes', 'tax total', 'order tax', 'tax amount'] },
  { key: 'discount', label: 'Discount', synonyms: ['discount amount', 'discount total', 'cart discount'] },
  { key: 'total', label: 'Total', synonyms: ['order total', 'grand total'] },
  { key: 'refunded', label: 'Refunded', synonyms: ['refunded amount', 'refund amount', 'refunded total', 'total refunded', 'order refund amount'] },
  { key: 'lineSku', label: 'Line SKU', synonyms: ['lineitem sku', 'sku', 'item sku', 'product sku'] },
  { key: 'lineName', label: 'Line name', synonyms: ['lineitem name', 'item name', 'product name', 'product', 'item'] },
  { key: 'lineQuantity', label: 'Line quantity', synonyms: ['lineitem quantity', 'quantity', 'qty', 'item quantity'] },
  { key: 'linePrice', label: 'Line unit price', synonyms: ['lineitem price', 'item price', 'unit price', 'price', 'item cost'] },
] as const;

// Amounts stay text until the order's currency is known: a later row of
// an order may not repeat it.
const amount = z
  .string()
  .max(40)
  .refine((text) => parseMajorAmount(text, 'BHD') !== null, 'must be an amount such as 12.50');

const lineRow = z
  .object({
    sku: z.string().trim().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    quantity: z.number({ error: 'must be a whole number' }).int().min(1).max(1_000_000),
    unitPrice: amount,
  })
  .strict()
  .refine((line) => line.sku || line.name, { path: ['sku'], message: 'a line needs a SKU or a name' });

const orderRow = z
  .object({
    externalId: z.string().trim().min(1).max(100),
    orderedAt: z.number({ error: 'must be a date such as 2026-11-30 10:15:00 +0100' }).optional(),
    email: emailSchema.shape.address.optional(),
    firstName: z.string().trim().max(100).optional(),
    lastName: z.string().trim().max(100).optional(),
    status: z.enum(ORDER_STATUSES, { error: 'is not a status we know (paid, pending, refunded, cancelled, fulfilled, or the shop’s words for them)' }).optional(),
    currency: currencySchema.optional(),
    shipping: amount.optional(),
    tax: amount.optional(),
    discount: amount.optional(),
    total: amount.optional(),
    refunded: amount.optional(),
    lines: z.array(lineRow).max(500),
  })
  .strict();

const whole = (text: string | undefined) => (text === undefined ? undefined : /^\d+$/.test(text) ? Number(text) : text);

function toInput(cells: Record<string, string>): unknown {
  let { firstName, lastName } = cells;
  if (!firstName && !lastName && cells.customerName) {
    const space = cells.customerName.lastIndexOf(' ');
    firstName = space > 0 ? cells.customerName.slice(0, space) : cells.customerName;
    lastName = space > 0 ? cells.customerName.slice(space + 1) : undefined;
  }
  const hasLine = ['lineSku', 'lineName', 'lineQuantity', 'linePrice'].some((k) => cells[k]);
  return {
    externalId: cells.externalId,
    orderedAt: cells.orderedAt && (parseShopDate(cells.orderedAt) ?? cells.orderedAt),
    email: cells.email,
    firstName,
    lastName,
    status: cells.cancelledAt ? 'cancelled' : cells.status && (orderStatusOf(cells.status) ?? cells.status),
    currency: cells.currency,
    shipping: cells.shipping,
    tax: cells.tax,
    discount: cells.discount,
    total: cells.total,
    refunded: cells.refunded,
    lines: hasLine ? [{ sku: cells.lineSku, name: cells.lineName, quantity: whole(cells.lineQuantity ?? '1'), unitPrice: cells.linePrice }] : [],
  };
}

const lineKey = (line: { sku?: string | null; name?: string | null }) => line.sku ?? line.name ?? '';

// Two rows of one order: the header values the first gives win, and a
// line of a key already there replaces it.
function merge(a: OrderRow, b: OrderRow): OrderRow {
  const header = Object.fromEntries(Object.entries(b).filter(([k, v]) => k !== 'lines' && v !== undefined));
  const lines = new Map(a.lines.map((l) => [lineKey(l), l]));
  for (const line of b.lines) lines.set(lineKey(line), line);
  return { ...header, ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)), lines: [...lines.values()] } as OrderRow;
}

type Existing = StoredOrder & { trashed?: boolean; own?: boolean; skipped?: boolean };

// An order this import has not written yet takes the file's lines as its
// own; the rows of later steps add to what the first wrote.
const replacing = (existing: Existing | undefined) => !!existing && !existing.own;

const RESTORABLE = ['contact_id', 'status', 'ordered_at', 'currency', 'subtotal', 'discount', 'shipping', 'tax', 'total', 'refunded', 'deleted_at', 'updated_at'] as const;

const lineJson = (alias: string) =>
  sql.raw(`json_object('id', ${alias}.id, 'position', ${alias}.position, 'product_id', ${alias}.product_id, 'sku', ${alias}.sku, 'name', ${alias}.name,
    'quantity', ${alias}.quantity, 'unit_price', ${alias}.unit_price, 'total', ${alias}.total)`);

// The product a line's SKU names (one in the trash too, as the orders
// service links it), and the name a line without one takes from it.
const productOf = (scope: Scope, column: string, sku: ReturnType<typeof member>) =>
  sql`(select ${sql.identifier(column)} from products where workspace_id = ${scope.ws.workspaceId} and sku = ${sku})`;

function linesStatements(scope: Scope, rows: { orderId: string; plan: Plan }[], guard: SQL) {
  const dropped = rows.flatMap((r) => r.plan.dropped);
  const fresh = rows.flatMap((r) => r.plan.lines.filter((l) => !l.id).map((l) => ({ ...l, orderId: r.orderId })));
  const changed = rows.flatMap((r) => r.plan.lines.filter((l) => l.id && l.changed));
  const ids = newIds('orderLine', fresh.length, scope.now);
  const m = member;
  const name = sql`coalesce(${m('name')}, ${productOf(scope, 'name', m('sku'))}, ${m('sku')})`;
  return [
    ...(dropped.length
      ? [scope.db.run(sql`delete from ${orderLines} where workspace_id = ${scope.ws.workspaceId} and id in (select value from ${rowsParam(dropped)}) and ${guard}`)]
      : []),
    ...(changed.length
      ? [scope.db.run(sql`update ${orderLines} set product_id = ${productOf(scope, 'id', m('sku'))}, sku = ${m('sku')}, name = ${name},
            quantity = ${m('quantity')}, unit_price = ${m('unitPrice')}, total = ${m('total')}
          from ${rowsParam(changed)} as j where ${orderLines.id} = ${m('id')} and ${orderLines.workspaceId} = ${scope.ws.workspaceId} and ${guard}`)]
      : []),
    ...(fresh.length
      ? [scope.db.run(sql`insert into ${orderLines} (id, workspace_id, order_id, position, product_id, sku, name, quantity, unit_price, total)
          select ${m('id')}, ${scope.ws.workspaceId}, ${m('orderId')}, ${m('position')}, ${productOf(scope, 'id', m('sku'))}, ${m('sku')}, ${name},
            ${m('quantity')}, ${m('unitPrice')}, ${m('total')}
          from ${rowsParam(fresh.map((l, i) => ({ ...l, id: ids[i] })))} as j where ${guard}`)]
      : []),
  ];
}

export const orderImporter: Importer<OrderRow, Existing> = {
  entity: 'order',
  idKind: 'order',
  fields: FIELDS,
  pathLabels: {
    externalId: 'Order number', orderedAt: 'Ordered at', email: 'Customer email', firstName: 'Customer first name', lastName: 'Customer last name',
    status: 'Status', currency: 'Currency', shipping: 'Shipping', tax: 'Tax', discount: 'Discount', total: 'Total', refunded: 'Refunded',
    'lines.0.sku': 'Line SKU', 'lines.0.name': 'Line name', 'lines.0.quantity': 'Line quantity', 'lines.0.unitPrice': 'Line unit price',
  },
  toInput,
  schema: orderRow as z.ZodType<OrderRow>,
  keysOf: (input) => [input.externalId],
  merge,
  check: (input, existing) => {
    const plan = planOrder(input, existing, { replace: replacing(existing) });
    return typeof plan === 'string' ? plan : null;
  },

  async findExisting(scope, keys, importId) {
    if (!keys.length) return new Map();
    const ws = scope.ws.workspaceId;
    const rows = await scope.db.all<Omit<StoredOrder, 'lines'> & { externalId: string; lines: string; trashed: number; touched: string | null }>(
      sql`select ${orders.externalId} as "externalId", ${orders.id} as "id", ${orders.contactId} as "contactId", ${orders.status} as "status",
        ${orders.orderedAt} as "orderedAt", ${orders.currency} as "currency", ${orders.subtotal} as "subtotal", ${orders.discount} as "discount",
        ${orders.shipping} as "shipping", ${orders.tax} as "tax", ${orders.total} as "total", ${orders.refunded} as "refunded",
        ${orders.deletedAt} is not null as "trashed",
        (select i.action from ${importItems} as i where i.workspace_id = ${ws} and i.import_id = ${importId} and i.record_id = ${orders.id}) as "touched",
        (select json_group_array(${lineJson('l')}) from ${orderLines} as l where l.workspace_id = ${ws} and l.order_id = ${orders.id}) as "lines"
      from ${orders} where ${scope.ws.scope(orders, sql`${orders.externalId} in (select value from json_each(${JSON.stringify(keys)}))`)}`,
    );
    return new Map(
      rows.map(({ touched, ...row }) => [
        row.externalId,
        { ...row, trashed: !!row.trashed, own: touched === 'created' || touched === 'updated', skipped: touched === 'skipped', lines: JSON.parse(row.lines) },
      ]),
    );
  },

  createMany(scope, rows, { guard, ownerId, importId }) {
    if (!rows.length) return [];
    const planned = rows.map(({ id, input }) => ({ orderId: id, input, plan: planOrder(input, undefined) as Plan }));
    // One new contact per address no live contact has (the insert skips
    // the others), named by the address's first order that names them.
    const byAddress = new Map<string, OrderRow>();
    for (const { input } of planned) {
      const had = byAddress.get(input.email!);
      if (!had || (!had.firstName && !had.lastName)) byAddress.set(input.email!, input);
    }
    const contactIds = newIds('contact', byAddress.size, scope.now);
    const customers = [...byAddress].map(([address, input], i) => ({ id: contactIds[i]!, address, firstName: input.firstName, lastName: input.lastName }));
    const values = planned.map(({ orderId, input, plan }) => ({ id: orderId, externalId: input.externalId, email: input.email, ...plan.header, orderedAt: plan.header.orderedAt ?? scope.now }));
    const m = member;
    return [
      insertCustomers(scope, customers, guard, ownerId),
      scope.db.run(sql`insert or ignore into ${importItems} (workspace_id, import_id, record_id, action, before)
        select workspace_id, ${importId}, id, 'created', null from contacts
        where workspace_id = ${scope.ws.workspaceId} and id in (select value from ${rowsParam(contactIds)}) and ${guard}`),
      scope.db.run(sql`insert into ${orders} (id, workspace_id, contact_id, external_id, status, ordered_at, currency, subtotal, discount, shipping, tax,
          total, refunded, note, created_at, updated_at)
        select ${m('id')}, ${scope.ws.workspaceId}, ${customerOf(scope, m('email'))}, ${m('externalId')}, ${m('status')}, ${m('orderedAt')}, ${m('currency')},
          ${m('subtotal')}, ${m('discount')}, ${m('shipping')}, ${m('tax')}, ${m('total')}, ${m('refunded')}, null, ${scope.now}, ${scope.now}
        from ${rowsParam(values)} as j where ${guard}`),
      ...linesStatements(scope, planned, guard),
    ];
  },

  updateMany(scope, rows, { guard }) {
    const planned = rows.flatMap(({ existing, input }) => {
      const plan = planOrder(input, existing, { replace: replacing(existing) }) as Plan;
      return plan.changed || existing.trashed ? [{ orderId: existing.id, input, plan }] : [];
    });
    if (!planned.length) return [];
    const values = planned.map(({ orderId, input, plan }) => ({ id: orderId, email: input.email ?? null, ...plan.header }));
    const m = member;
    // A new address moves the order to that customer if one has it.
    return [
      scope.db.run(sql`update ${orders} set contact_id = coalesce(${customerOf(scope, m('email'))}, contact_id), status = ${m('status')},
          ordered_at = ${m('orderedAt')}, currency = ${m('currency')}, subtotal = ${m('subtotal')}, discount = ${m('discount')},
          shipping = ${m('shipping')}, tax = ${m('tax')}, total = ${m('total')}, refunded = ${m('refunded')}, deleted_at = null,
          updated_at = max(${scope.now}, updated_at + 1)
        from ${rowsParam(values)} as j where ${orders.id} = ${m('id')} and ${orders.workspaceId} = ${scope.ws.workspaceId} and ${guard}`),
      ...linesStatements(scope, planned, guard),
    ];
  },

  table: 'orders',
  restorable: RESTORABLE,
  ledgerBefore: sql`'lines', json((select json_group_array(${lineJson('l')}) from order_lines as l where l.workspace_id = orders.workspace_id and l.order_id = orders.id))`,

  // An updated order gets its lines back as they were; a customer the
  // import made goes to the trash unless someone else's order is theirs.
  undoMore(scope, { importId, inWindow, guard }) {
    const ws = scope.ws.workspaceId;
    const field = (key: string) => sql`l.value ->> ${`$.${key}`}`;
    return [
      scope.db.run(sql`delete from ${orderLines} where workspace_id = ${ws}
        and order_id in (select i.record_id from ${importItems} as i where ${inWindow('updated')}) and ${guard}`),
      scope.db.run(sql`insert into ${orderLines} (id, workspace_id, order_id, position, product_id, sku, name, quantity, unit_price, total)
        select ${field('id')}, ${ws}, i.record_id, ${field('position')}, ${field('product_id')}, ${field('sku')}, ${field('name')}, ${field('quantity')},
          ${field('unit_price')}, ${field('total')}
        from ${importItems} as i, json_each(i.before, '$.lines') as l where ${inWindow('updated')} and ${guard}`),
      scope.db.run(sql`update contacts set deleted_at = ${scope.now}, updated_at = ${scope.now}
        where workspace_id = ${ws} and deleted_at is null and id in (select i.record_id from ${importItems} as i where ${inWindow('created')})
          and not exists (select 1 from ${orders} as o where o.workspace_id = ${ws} and o.contact_id = contacts.id and o.deleted_at is null
            and o.id not in (select record_id from ${importItems} where workspace_id = ${ws} and import_id = ${importId}))
          and ${guard}`),
    ];
  },
};
