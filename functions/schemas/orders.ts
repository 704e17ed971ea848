import { z } from '@hono/zod-openapi';
import { ORDER_STATUSES } from '../domain/commerce';
import { emailSchema, idRef, optionalText } from './common';
import { pageQuery, refuseCursorOfAnotherSort } from './cursor';
import { listEntity, selectionSchema, several, trashParam, viewStateSchema } from './lists';
import { currencySchema, minorUnits } from './products';

// Orders as the shop sends them and as the API shows them. Amounts are
// integer minor units of the order's currency.

const instant = z.iso.datetime({ offset: true }).openapi({ description: 'ISO 8601 date and time', example: '2026-11-30T10:15:00Z' });
const externalId = z.string().trim().min(1).max(100).openapi({ description: "The shop's own id for the order; a second order with it is refused, and the batch endpoint updates instead of adding" });

export const orderLineInput = z
  .object({
    productId: idRef('prd').optional().openapi({ description: 'A product of the catalogue' }),
    sku: z.string().trim().min(1).max(64).optional().openapi({ description: 'Links the line to the product with this SKU, if there is one' }),
    name: z.string().trim().min(1).max(200).optional().openapi({ description: "As sold; taken from the product when left out" }),
    quantity: z.number().int().min(1).max(1_000_000),
    unitPrice: minorUnits,
  })
  .strict()
  .openapi('OrderLineInput');

// Who bought: a contact's id, or an email that finds the contact (ignoring
// case) or, when nobody has it, makes one.
export const customerInput = z
  .object({
    email: emailSchema.shape.address,
    firstName: z.string().trim().max(100).optional(),
    lastName: z.string().trim().max(100).optional(),
  })
  .strict()
  .openapi('OrderCustomer');

const orderFields = {
  externalId: externalId.nullable().optional(),
  status: z.enum(ORDER_STATUSES).optional().openapi({ description: "Defaults to 'paid'" }),
  orderedAt: instant.optional().openapi({ description: 'When the customer bought; defaults to now' }),
  currency: currencySchema,
  lines: z.array(orderLineInput).min(1).max(500),
  discount: minorUnits.optional(),
  shipping: minorUnits.optional(),
  tax: minorUnits.optional(),
  total: minorUnits.optional().openapi({ description: 'What was charged; defaults to lines − discount + shipping + tax' }),
  refunded: minorUnits.optional().openapi({ description: 'What was given back, at most the total' }),
  note: optionalText(2000),
};

const refundWithinTotal = (order: { total?: number; refunded?: number }, ctx: z.RefinementCtx) => {
  if (order.total !== undefined && order.refunded !== undefined && order.refunded > order.total) {
    ctx.addIssue({ code: 'custom', path: ['refunded'], message: 'cannot be more than the total' });
  }
};

const orderCreateObject = z
  .object({
    contactId: idRef('con').optional(),
    customer: customerInput.optional(),
    ...orderFields,
  })
  .strict();

export const orderCreate = orderCreateObject
  .superRefine((order, ctx) => {
    if (!order.contactId === !order.customer) ctx.addIssue({ code: 'custom', path: ['contactId'], message: 'name either contactId or customer' });
    refundWithinTotal(order, ctx);
  })
  .openapi('OrderCreate');
export type OrderCreate = z.infer<typeof orderCreate>;

export const orderUpdate = z
  .object({
    contactId: idRef('con').optional(),
    externalId: orderFields.externalId,
    status: z.enum(ORDER_STATUSES).optional(),
    orderedAt: instant.optional(),
    currency: currencySchema.optional(),
    lines: orderFields.lines.optional().openapi({ description: 'Replaces every line; the subtotal follows' }),
    discount: minorUnits.optional(),
    shipping: minorUnits.optional(),
    tax: minorUnits.optional(),
    total: minorUnits.optional(),
    refunded: minorUnits.optional(),
    note: optionalText(2000),
  })
  .strict()
  .superRefine(refundWithinTotal)
  .openapi('OrderUpdate');
export type OrderUpdate = z.infer<typeof orderUpdate>;

// The batch endpoint: every order carries the shop's id, so a batch sent
// twice finds its orders the second time.
export const MAX_BATCH_ORDERS = 200;
export const orderBatch = z
  .object({
    orders: z
      .array(
        orderCreateObject
          .extend({ externalId })
          .superRefine((order, ctx) => {
            if (!order.contactId === !order.customer) ctx.addIssue({ code: 'custom', path: ['contactId'], message: 'name either contactId or customer' });
            refundWithinTotal(order, ctx);
          }),
      )
      .min(1)
      .max(MAX_BATCH_ORDERS)
      .refine((orders) => new Set(orders.map((o) => o.externalId)).size === orders.length, 'each externalId may appear once in a batch'),
  })
  .strict()
  .openapi('OrderBatch');
export type OrderBatch = z.infer<typeof orderBatch>;

export const orderLineSchema = z
  .object({
    productId: z.string().nullable(),
    sku: z.string().nullable(),
    name: z.string(),
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    total: z.number().int(),
  })
  .openapi('OrderLine');

export const orderSchema = z
  .object({
    id: z.string(),
    contactId: z.string(),
    contactName: z.string().nullable().openapi({ description: "The customer's name, null once the contact is erased" }),
    externalId: z.string().nullable(),
    status: z.enum(ORDER_STATUSES),
    orderedAt: z.string().datetime(),
    currency: z.string(),
    subtotal: z.number().int(),
    discount: z.number().int(),
    shipping: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    refunded: z.number().int(),
    note: z.string().nullable(),
    lines: z.array(orderLineSchema),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    deletedAt: z.string().datetime().nullable(),
  })
  .openapi('Order');
export type OrderView = z.infer<typeof orderSchema>;

export const orderBatchResult = z
  .object({
    data: z.array(
      z.object({
        externalId: z.string(),
        id: z.string(),
        result: z.enum(['created', 'updated', 'unchanged']),
      }),
    ),
  })
  .openapi('OrderBatchResult');
export type OrderBatchResultView = z.infer<typeof orderBatchResult>;

export const ORDER_SORTS = ['-orderedAt', 'orderedAt', '-total', 'total'] as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
export const orderFilterQuery = {
  q: z.string().trim().max(100).optional().openapi({ description: "The shop's order id, from its start" }),
  status: several(z.enum(ORDER_STATUSES), ORDER_STATUSES.length).optional().openapi({ description: 'Any of these statuses' }),
  contactId: idRef('con').optional(),
  from: date.optional().openapi({ description: 'Ordered on or after this day (UTC)' }),
  to: date.optional().openapi({ description: 'Ordered on or before this day (UTC)' }),
};

export const orderFilter = z
  .object({ ...orderFilterQuery, status: z.array(z.enum(ORDER_STATUSES)).max(ORDER_STATUSES.length).optional() })
  .strict()
  .openapi('OrderFilter');
export type OrderFilter = z.infer<typeof orderFilter>;

export const orderListQuery = z
  .object({ ...orderFilterQuery, deleted: trashParam, sort: z.enum(ORDER_SORTS).default('-orderedAt'), ...pageQuery('ord') })
  .strict()
  .superRefine((query, ctx) => refuseCursorOfAnotherSort(query.cursor, false, ctx));
export type OrderListQuery = z.infer<typeof orderListQuery>;

export const orderCountQuery = z.object({ ...orderFilterQuery, deleted: trashParam }).strict();

export const orderBulkRequest = z
  .object({
    selection: selectionSchema('ord', orderFilter),
    action: z.discriminatedUnion('type', [z.object({ type: z.literal('delete') }).strict()]).openapi('OrderBulkAction'),
  })
  .strict()
  .openapi('OrderBulkRequest');

export const orderViewState = viewStateSchema(orderFilter, z.enum(ORDER_SORTS)).openapi('OrderViewState');
export const orderViewEntity = z.object({ entity: listEntity.extract(['order']), state: orderViewState });

export const orderPage = z.object({ data: z.array(orderSchema), nextCursor: z.string().nullable() }).openapi('OrderPage');
