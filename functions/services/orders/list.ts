import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { orders } from '../../../db/schema';
import type { OrderFilter, OrderListQuery, OrderView } from '../../schemas/orders';
import { notFound } from '../errors';
import { pageOf, type JsonText } from '../json-views';
import { placeholder } from '../lists/conditions';
import { shapeKey, type ListSource } from '../lists/source';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { orderJson } from './view';

const $ = sql.placeholder;
const DAY = 86_400_000;

const orderById = preparedReads((db, scope) =>
  db
    .select({ json: orderJson })
    .from(orders)
    .where(scope(orders, eq(orders.id, $('id')))),
);

export async function getOrder(scope: Scope, id: string): Promise<JsonText<OrderView>> {
  const [row] = await scope.ws.read(orderById, undefined, { id });
  if (!row) throw notFound('Order');
  return row.json;
}

type Shape = { trash: boolean; search: boolean; statuses: boolean; contact: boolean; from: boolean; to: boolean };

function plan(_scope: Scope, filter: OrderFilter, trash: boolean) {
  const values: Record<string, unknown> = {};
  if (filter.q) values.q = `${filter.q.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
  if (filter.status?.length) values.statuses = JSON.stringify(filter.status);
  if (filter.contactId) values.contactId = filter.contactId;
  // Days are UTC days: from its first millisecond to the last of `to`.
  if (filter.from) values.from = Date.parse(`${filter.from}T00:00:00Z`);
  if (filter.to) values.to = Date.parse(`${filter.to}T00:00:00Z`) + DAY - 1;
  const shape: Shape = {
    trash,
    search: !!filter.q,
    statuses: !!filter.status?.length,
    contact: !!filter.contactId,
    from: !!filter.from,
    to: !!filter.to,
  };
  return { shape, values };
}

export const orderList: ListSource<OrderFilter, Shape> = {
  entity: 'order',
  label: 'order',
  table: orders,
  chunkKey: { column: orders.id, numeric: false },
  plan,
  where: (_scope, shape, param) =>
    and(
      shape.trash ? isNotNull(orders.deletedAt) : isNull(orders.deletedAt),
      shape.search ? sql`${orders.externalId} like ${param('q')} escape '\\'` : undefined,
      shape.statuses ? sql`${orders.status} in (select value from json_each(${param('statuses')}))` : undefined,
      shape.contact ? sql`${orders.contactId} = ${param('contactId')}` : undefined,
      shape.from ? sql`${orders.orderedAt} >= ${param('from')}` : undefined,
      shape.to ? sql`${orders.orderedAt} <= ${param('to')}` : undefined,
    )!,
  tagRowsAlone: () => null,
};

type PageShape = { filter: Shape; sort: OrderListQuery['sort']; cursor: boolean };

const orderPages = preparedReads(
  (db, scope, page: PageShape) => {
    const descending = page.sort.startsWith('-');
    const column = page.sort.endsWith('total') ? orders.total : orders.orderedAt;
    const op = descending ? sql`<` : sql`>`;
    const where = and(
      orderList.where(scope, page.filter, placeholder),
      page.cursor ? sql`(${column}, ${orders.id}) ${op} (${$('after')}, ${$('afterId')})` : undefined,
    );
    return db
      .select({ json: orderJson, v: sql<number>`${column}`, id: orders.id })
      .from(orders)
      .where(scope(orders, where))
      .orderBy(...(descending ? [desc(column), desc(orders.id)] : [asc(column), asc(orders.id)]))
      .limit($('limit'));
  },
  shapeKey,
);

export async function listOrders(scope: Scope, query: OrderListQuery): Promise<JsonText<{ data: OrderView[]; nextCursor: string | null }>> {
  const { deleted, sort, cursor, limit, ...filter } = query;
  const { shape, values } = plan(scope, filter, deleted === 'true');
  const rows = await scope.ws.read(orderPages, { filter: shape, sort, cursor: !!cursor }, {
    ...values,
    after: cursor?.v,
    afterId: cursor?.id,
    limit: limit + 1,
  });
  return pageOf(rows, limit);
}
