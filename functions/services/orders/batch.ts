import { and, eq, isNull, sql } from 'drizzle-orm';
import { auditLog, contacts, orderLines, orders } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { OrderBatch, OrderBatchResultView } from '../../schemas/orders';
import { auditWhere } from '../conditional-writes';
import { conflict, invalid } from '../errors';
import type { Scope } from '../scope';
import { customersByEmail } from './customers';
import { amountsOf, catalogueFor, insertLines, resolveLines, type Amounts, type Line } from './lines';

// The shop's batch: every order carries its external id, so a batch sent
// again — after a timeout, by a retrying job — finds its orders and changes
// only what differs. Revenue is never counted twice.

type Planned = {
  externalId: string;
  contactId: string;
  status: NonNullable<OrderBatch['orders'][number]['status']>;
  orderedAt: number;
  currency: string;
  note: string | null;
  amounts: Amounts;
  lines: Line[];
};


// What decides "unchanged": everything the shop sends about an order.
function fingerprint(order: Omit<Planned, 'externalId'>): string {
  const lines = order.lines.map((l) => [l.productId, l.sku, l.name, l.quantity, l.unitPrice]);
  const { subtotal, discount, shipping, tax, total, refunded } = order.amounts;
  return JSON.stringify([order.contactId, order.status, order.orderedAt, order.currency, order.note, subtotal, discount, shipping, tax, total, refunded, lines]);
}

const existingSql = (scope: Scope, externalIds: string[]) => {
  const lines = sql`(select json_group_array(json_array(${orderLines.productId}, ${orderLines.sku}, ${orderLines.name}, ${orderLines.quantity}, ${orderLines.unitPrice}))
    from (select * from ${orderLines} where ${and(eq(orderLines.workspaceId, orders.workspaceId), eq(orderLines.orderId, orders.id))} order by ${orderLines.position}) as ${orderLines})`;
  return scope.db.all<{ id: string; externalId: string; updatedAt: number; parts: string }>(sql`
    select ${orders.id} as "id", ${orders.externalId} as "externalId", ${orders.updatedAt} as "updatedAt",
      json_array(${orders.contactId}, ${orders.status}, ${orders.orderedAt}, ${orders.currency}, ${orders.note}, ${orders.subtotal}, ${orders.discount},
        ${orders.shipping}, ${orders.tax}, ${orders.total}, ${orders.refunded}, json(${lines})) as "parts"
    from ${orders} where ${scope.ws.scope(orders, sql`${orders.externalId} in (select value from json_each(${JSON.stringify(externalIds)}))`)}`);
};

async function plan(scope: Scope, batch: OrderBatch): Promise<Planned[]> {
  const emails = batch.orders.flatMap((o) => (o.customer ? [o.customer] : []));
  const named = [...new Set(batch.orders.flatMap((o) => (o.contactId ? [o.contactId] : [])))];
  const [catalogue, live] = await Promise.all([
    catalogueFor(scope, batch.orders.flatMap((o) => o.lines)),
    named.length
      ? scope.db.all<{ id: string }>(sql`select ${contacts.id} as "id" from ${contacts} where ${scope.ws.scope(contacts, and(sql`${contacts.id} in (select value from json_each(${JSON.stringify(named)}))`, isNull(contacts.deletedAt)))}`)
      : Promise.resolve([]),
  ]);
  const liveIds = new Set(live.map((r) => r.id));
  // Every order is checked before customers are made from emails: a
  // refused batch leaves no contact behind.
  const checked = batch.orders.map((order, i) => {
    if (order.contactId && !liveIds.has(order.contactId)) throw invalid('No such contact in this workspace', [{ path: `orders.${i}.contactId`, message: 'not found' }]);
    const lines = resolveLines(scope, order.lines, catalogue, `orders.${i}.lines`);
    const status = order.status ?? 'paid';
    return { order, lines, status, amounts: amountsOf(lines, order, status, `orders.${i}.`) };
  });
  const byEmail = await customersByEmail(scope, emails);
  return checked.map(({ order, lines, status, amounts }) => {
    const contactId = order.contactId ?? byEmail.get(order.customer!.email.toLowerCase())!;
    return {
      externalId: order.externalId,
      contactId,
      status,
      orderedAt: order.orderedAt ? Date.parse(order.orderedAt) : scope.now,
      currency: order.currency,
      note: order.note ?? null,
      amounts,
      lines,
    };
  });
}

export async function upsertOrders(scope: Scope, batch: OrderBatch): Promise<OrderBatchResultView> {
  const planned = await plan(scope, batch);
  const rows = await existingSql(scope, planned.map((p) => p.externalId));
  const existing = new Map(rows.map((row) => [row.externalId, row]));
  const statements = [];
  const outcome = new Map<string, { id: string; result: 'created' | 'updated' | 'unchanged' }>();
  const audits: string[] = [];
  for (const order of planned) {
    const { externalId, lines, amounts, ...rest } = order;
    const seen = existing.get(externalId);
    const printed = fingerprint(order);
    // SQLite's JSON text and JS's differ in spacing: compared as JS writes it.
    if (seen && JSON.stringify(JSON.parse(seen.parts)) === printed) {
      outcome.set(externalId, { id: seen.id, result: 'unchanged' });
      continue;
    }
    const auditId = newId('audit', scope.now);
    const receipt = sql`exists (select 1 from ${auditLog} where ${auditLog.id} = ${auditId})`;
    if (!seen) {
      const id = newId('order', scope.now);
      // Two batches with this order at once: the one whose insert finds the
      // external id free writes it (and its audit row and lines).
      statements.push(
        auditWhere(scope, sql`not exists (select 1 from ${orders} where ${scope.ws.scope(orders, eq(orders.externalId, externalId))})`, {
          id: auditId,
          action: 'create',
          entityType: 'order',
          entityId: id,
          changes: { contactId: rest.contactId, externalId },
        }),
        scope.ws.insertWhere(orders, { id, externalId, ...rest, ...amounts, createdAt: scope.now, updatedAt: scope.now }, receipt),
        insertLines(scope, id, lines, receipt),
      );
      outcome.set(externalId, { id, result: 'created' });
      audits.push(auditId);
    } else {
      const asRead = and(eq(orders.id, seen.id), eq(orders.updatedAt, seen.updatedAt))!;
      statements.push(
        auditWhere(scope, scope.ws.exists(orders, asRead), {
          id: auditId,
          action: 'update',
          entityType: 'order',
          entityId: seen.id,
          changes: { fields: ['status', 'total', 'refunded', 'lines'], externalId },
        }),
        scope.ws.update(orders, { ...rest, ...amounts, updatedAt: Math.max(scope.now, seen.updatedAt + 1) }, and(asRead, receipt)!),
        scope.ws.delete(orderLines, and(eq(orderLines.orderId, seen.id), receipt)!),
        insertLines(scope, seen.id, lines, receipt),
      );
      outcome.set(externalId, { id: seen.id, result: 'updated' });
      audits.push(auditId);
    }
  }
  if (statements.length) {
    const results = (await scope.ws.batch([
      ...(statements as [(typeof statements)[number], ...typeof statements]),
      scope.db.all<{ id: string }>(sql`select ${auditLog.id} as "id" from ${auditLog} where ${auditLog.id} in (select value from json_each(${JSON.stringify(audits)}))`),
    ])) as unknown[];
    const done = new Set((results[results.length - 1] as { id: string }[]).map((r) => r.id));
    // A write that lost a race changed nothing; the batch is safe to send again.
    if (audits.some((id) => !done.has(id))) throw conflict('Some orders changed while this batch ran; send the batch again');
  }
  return { data: planned.map(({ externalId }) => ({ externalId, ...outcome.get(externalId)! })) };
}
