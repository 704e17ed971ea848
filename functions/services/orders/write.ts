import { and, eq, isNull, not, sql } from 'drizzle-orm';
import { orderLines, orders } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { OrderCreate, OrderUpdate, OrderView } from '../../schemas/orders';
import { conflict, invalid, notFound } from '../errors';
import type { JsonText } from '../json-views';
import { restoreRecord, trashRecord } from '../lifecycle';
import { changedMeanwhile, fieldChanges, writeRecord } from '../records';
import type { Scope } from '../scope';
import { customersByEmail } from './customers';
import { amountsOf, catalogueFor, insertLines, liveContact, resolveLines, type Line } from './lines';
import { orderJsonOf } from './view';

const kind = { table: orders, type: 'order', label: 'Order' };

export const externalTaken = (scope: Scope, externalId: string, other?: string) =>
  scope.ws.exists(orders, and(eq(orders.externalId, externalId), other ? sql`${orders.id} <> ${other}` : undefined));
const externalConflict = (externalId: string) => conflict(`An order with the external id ${externalId} exists; the batch endpoint updates it`);
const noContact = () => invalid('No such contact in this workspace', [{ path: 'contactId', message: 'not found' }]);

// The customer of a new order: the contact named, or the one an email finds
// or makes.
async function customerOf(scope: Scope, input: Pick<OrderCreate, 'contactId' | 'customer'>): Promise<string> {
  if (input.contactId) return input.contactId;
  const found = await customersByEmail(scope, [input.customer!]);
  return found.get(input.customer!.email.toLowerCase())!;
}

export async function createOrder(scope: Scope, input: OrderCreate): Promise<JsonText<OrderView>> {
  // Everything the request could be refused for is checked before a
  // customer is made from its email: a refused order leaves no contact.
  const lines = resolveLines(scope, input.lines, await catalogueFor(scope, input.lines), 'lines');
  const status = input.status ?? 'paid';
  const amounts = amountsOf(lines, input, status);
  const contactId = await customerOf(scope, input);
  const row = {
    id: newId('order', scope.now),
    contactId,
    externalId: input.externalId ?? null,
    status,
    orderedAt: input.orderedAt ? Date.parse(input.orderedAt) : scope.now,
    currency: input.currency,
    ...amounts,
    note: input.note ?? null,
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  const { written, answer } = await writeRecord<{ json: JsonText<OrderView> | null; contact: number; taken: number }>(scope, {
    when: and(liveContact(scope, contactId), row.externalId ? not(externalTaken(scope, row.externalId)) : undefined),
    audit: { action: 'create', entityType: 'order', entityId: row.id, changes: { contactId } },
    write: (receipt) => [scope.ws.insertWhere(orders, row, receipt), insertLines(scope, row.id, lines, receipt)],
    answer: scope.db.all(
      sql`select ${orderJsonOf(scope, row.id)} as "json", ${liveContact(scope, contactId)} as "contact", ${row.externalId ? externalTaken(scope, row.externalId) : sql`0`} as "taken"`,
    ),
  });
  if (!written) {
    if (!answer?.contact) throw noContact();
    if (answer.taken) throw externalConflict(row.externalId!);
    throw changedMeanwhile('order');
  }
  return answer!.json!;
}

type StoredOrder = {
  contactId: string;
  status: OrderCreate['status'] & string;
  updatedAt: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  refunded: number;
  lines: string;
};

const storedOrder = (scope: Scope, id: string) =>
  scope.db.all<StoredOrder>(sql`select ${orders.contactId} as "contactId", ${orders.status} as "status", ${orders.updatedAt} as "updatedAt",
    ${orders.discount} as "discount", ${orders.shipping} as "shipping", ${orders.tax} as "tax", ${orders.total} as "total", ${orders.refunded} as "refunded",
    (select json_group_array(json_object('total', ${orderLines.total})) from ${orderLines} where ${scope.ws.scope(orderLines, eq(orderLines.orderId, id))}) as "lines"
    from ${orders} where ${scope.ws.scope(orders, and(eq(orders.id, id), isNull(orders.deletedAt)))}`);

const SHOWN = { status: orders.status, total: orders.total, refunded: orders.refunded, contactId: orders.contactId, externalId: orders.externalId };

// Changes only what is sent. New lines replace the old ones; the amounts
// follow the lines unless the total is sent too, and a refund may never
// pass the total, whichever of the two changed.
export async function updateOrder(scope: Scope, id: string, input: OrderUpdate): Promise<JsonText<OrderView>> {
  const [stored] = await storedOrder(scope, id);
  if (!stored) throw notFound('Order');
  const lines: Line[] | undefined = input.lines && resolveLines(scope, input.lines, await catalogueFor(scope, input.lines), 'lines');
  const status = input.status ?? stored.status;
  const recount = lines !== undefined || [input.discount, input.shipping, input.tax].some((v) => v !== undefined);
  const amounts = amountsOf(lines ?? (JSON.parse(stored.lines) as { total: number }[]), {
    discount: input.discount ?? stored.discount,
    shipping: input.shipping ?? stored.shipping,
    tax: input.tax ?? stored.tax,
    total: input.total ?? (recount ? undefined : stored.total),
    refunded: input.refunded ?? (input.status === 'refunded' && stored.status !== 'refunded' ? undefined : stored.refunded),
  }, status);
  const set = {
    ...(input.contactId !== undefined ? { contactId: input.contactId } : {}),
    ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
    ...(input.orderedAt !== undefined ? { orderedAt: Date.parse(input.orderedAt) } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    ...(input.note !== undefined ? { note: input.note } : {}),
    status,
    ...(lines ? { subtotal: amounts.subtotal } : {}),
    discount: amounts.discount,
    shipping: amounts.shipping,
    tax: amounts.tax,
    total: amounts.total,
    refunded: amounts.refunded,
    updatedAt: Math.max(scope.now, stored.updatedAt + 1),
  };
  // Written only over the order as read, so amounts worked out from it hold.
  const asRead = and(eq(orders.id, id), isNull(orders.deletedAt), eq(orders.updatedAt, stored.updatedAt))!;
  const { written, answer } = await writeRecord<{ json: JsonText<OrderView> | null; contact: number; taken: number }>(scope, {
    when: and(
      scope.ws.exists(orders, asRead),
      input.contactId ? liveContact(scope, input.contactId) : undefined,
      input.externalId ? not(externalTaken(scope, input.externalId, id)) : undefined,
    ),
    audit: {
      action: 'update',
      entityType: 'order',
      entityId: id,
      changes: fieldChanges({ ...input, total: set.total, refunded: set.refunded }, SHOWN, { from: sql`${orders}`, where: scope.ws.scope(orders, eq(orders.id, id)) }),
    },
    write: (receipt) => [
      scope.ws.update(orders, set, and(asRead, receipt)!),
      ...(lines ? [scope.ws.delete(orderLines, and(eq(orderLines.orderId, id), receipt)!), insertLines(scope, id, lines, receipt)] : []),
    ],
    answer: scope.db.all(
      sql`select ${orderJsonOf(scope, id)} as "json", ${input.contactId ? liveContact(scope, input.contactId) : sql`1`} as "contact", ${input.externalId ? externalTaken(scope, input.externalId, id) : sql`0`} as "taken"`,
    ),
  });
  if (!written) {
    if (!answer?.json) throw notFound('Order');
    if (!answer.contact) throw noContact();
    if (answer.taken) throw externalConflict(input.externalId!);
    throw changedMeanwhile('order');
  }
  return answer!.json!;
}

export const deleteOrder = (scope: Scope, id: string) => trashRecord(scope, kind, id);

export const restoreOrder = (scope: Scope, id: string): Promise<JsonText<OrderView>> => restoreRecord(scope, kind, id, orderJsonOf);

export async function purgeOrder(scope: Scope, id: string) {
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(orders, eq(orders.id, id)),
    audit: { action: 'purge', entityType: 'order', entityId: id },
    write: (receipt) => [
      scope.ws.delete(orderLines, and(eq(orderLines.orderId, id), receipt)!),
      scope.ws.delete(orders, and(eq(orders.id, id), receipt)!),
    ],
  });
  if (!written) throw notFound('Order');
}
