import { ORDER_STATUSES } from '$functions/domain/commerce';
import type { Order } from '$lib/api';
import type { FieldDef } from '$lib/fields/types';
import type { ObjectDef } from './types';

// An order is named by the shop's id where it has one, else by the end of
// its own (the random part of the ULID, so two orders of one minute differ).
export const orderName = (o: Pick<Order, 'id' | 'externalId'>) => `Order ${o.externalId ?? o.id.slice(-6)}`;

const amount = (key: 'subtotal' | 'discount' | 'shipping' | 'tax' | 'total' | 'refunded', label: string, sort?: string): FieldDef<Order> => ({
  key,
  label,
  type: 'money',
  value: (o) => ({ amount: o[key], currency: o.currency }),
  sort,
});

const builtIn: FieldDef<Order>[] = [
  { key: 'name', label: 'Order', type: 'text', value: orderName },
  {
    key: 'customer',
    label: 'Customer',
    type: 'text',
    value: (o) => o.contactName ?? 'Erased contact',
    href: (o) => (o.contactName ? `/contacts/${o.contactId}` : null),
  },
  { key: 'orderedAt', label: 'Ordered', type: 'datetime', value: (o) => o.orderedAt, sort: 'orderedAt' },
  { key: 'status', label: 'Status', type: 'select', options: ORDER_STATUSES, required: true, value: (o) => o.status, patch: (v) => ({ status: v }) },
  amount('subtotal', 'Subtotal'),
  amount('discount', 'Discount'),
  amount('shipping', 'Shipping'),
  amount('tax', 'Tax'),
  amount('total', 'Total', 'total'),
  { ...amount('refunded', 'Refunded'), patch: (v) => ({ refunded: v ?? 0 }) },
  { key: 'currency', label: 'Currency', type: 'text', value: (o) => o.currency },
  { key: 'lineCount', label: 'Lines', type: 'number', value: (o) => o.lines.length },
  {
    key: 'externalId',
    label: 'Shop order id',
    type: 'text',
    hint: "The shop's own id for the order; the batch import finds the order by it.",
    value: (o) => o.externalId,
    patch: (v) => ({ externalId: v || null }),
  },
  { key: 'note', label: 'Note', type: 'longText', value: (o) => o.note, patch: (v) => ({ note: v || null }) },
  { key: 'createdAt', label: 'Recorded', type: 'datetime', value: (o) => o.createdAt },
];

export const orderObject: ObjectDef<Order> = {
  singular: 'order',
  plural: 'orders',
  path: '/orders',
  href: (o) => `/orders/${o.id}`,
  label: orderName,
  fields: () => builtIn,
  defaultColumns: ['name', 'customer', 'orderedAt', 'status', 'total'],
  summary: ['status', 'orderedAt', 'total', 'refunded'],
  sections: [
    { key: 'order', label: 'Order', fields: ['externalId', 'orderedAt', 'status', 'currency', 'note', 'createdAt'] },
  ],
  placeCustom: () => 'order',
};
