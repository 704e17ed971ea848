import { and, eq, sql, type SQL } from 'drizzle-orm';
import { contacts, orderLines, orders } from '../../../db/schema';
import type { OrderView } from '../../schemas/orders';
import { isoTime, jsonObject, type JsonText } from '../json-views';
import type { Scope } from '../scope';

const line = sql`json_object('productId', ${orderLines.productId}, 'sku', ${orderLines.sku}, 'name', ${orderLines.name}, 'quantity', ${orderLines.quantity}, 'unitPrice', ${orderLines.unitPrice}, 'total', ${orderLines.total})`;

// The order's lines in their order, read by the (workspace, order,
// position) index in the statement that reads the order.
const lines = sql`(select json_group_array(json(l)) from (select ${line} as l from ${orderLines} where ${and(
  eq(orderLines.workspaceId, orders.workspaceId),
  eq(orderLines.orderId, orders.id),
)} order by ${orderLines.position}))`;

const customerName = sql`(select coalesce(nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), ''), json_extract(${contacts.emails}, '$[0].address'), 'Unnamed contact') from ${contacts} where ${and(
  eq(contacts.workspaceId, orders.workspaceId),
  eq(contacts.id, orders.contactId),
)})`;

export const orderJson = jsonObject<OrderView>({
  id: orders.id,
  contactId: orders.contactId,
  contactName: customerName,
  externalId: orders.externalId,
  status: orders.status,
  orderedAt: isoTime(orders.orderedAt),
  currency: orders.currency,
  subtotal: orders.subtotal,
  discount: orders.discount,
  shipping: orders.shipping,
  tax: orders.tax,
  total: orders.total,
  refunded: orders.refunded,
  note: orders.note,
  lines: sql`json(${lines})`,
  createdAt: isoTime(orders.createdAt),
  updatedAt: isoTime(orders.updatedAt),
  deletedAt: isoTime(orders.deletedAt),
});

export function orderJsonOf(scope: Scope, id: string): SQL<JsonText<OrderView> | null> {
  return sql`(select ${orderJson} from ${orders} where ${scope.ws.scope(orders, eq(orders.id, id))})`;
}
