import { z } from '@hono/zod-openapi';
import { LIST_ENTITIES } from '../domain/lists';
import { COMPANY_SORTS, companyFilter, companyViewEntity, companyViewState } from './company-list';
import { CONTACT_SORTS, contactFilter, contactViewEntity, contactViewState } from './contact-list';
import { viewCommon, viewStateSchema, viewUpdateCommon, viewVisibility } from './lists';
import { ORDER_SORTS, orderFilter, orderViewEntity, orderViewState } from './orders';
import { PRODUCT_SORTS, productFilter, productViewEntity, productViewState } from './products';

// Saved views: a name, who sees it, and the list's state (filters, sort,
// columns) for one object's list. The state is the list's own filter, so a
// view opened writes exactly these into the list's URL.

export const viewCreate = z
  .discriminatedUnion('entity', [
    contactViewEntity.extend(viewCommon).strict(),
    companyViewEntity.extend(viewCommon).strict(),
    productViewEntity.extend(viewCommon).strict(),
    orderViewEntity.extend(viewCommon).strict(),
  ])
  .openapi('SavedViewCreate');
export type ViewCreate = z.infer<typeof viewCreate>;

// Each list's state, by the entity a view is of.
export const VIEW_STATES = { contact: contactViewState, company: companyViewState, product: productViewState, order: orderViewState };

// The state of any kind of list; the service checks it against the kind of
// the stored view.
const anyFilter = z
  .object({ ...contactFilter.shape, ...companyFilter.shape, ...productFilter.shape, ...orderFilter.shape, q: z.string().trim().max(200).optional() })
  .strict()
  .openapi({ description: "The filters of the view's list (ContactFilter, CompanyFilter, ProductFilter or OrderFilter)" });
const anyState = viewStateSchema(
  anyFilter,
  z.enum([...new Set([...CONTACT_SORTS, ...COMPANY_SORTS, ...PRODUCT_SORTS, ...ORDER_SORTS])] as [string, ...string[]]),
);
export const viewUpdate = z
  .object({ ...viewUpdateCommon, state: anyState.optional().openapi({ description: "The list's state, as for a view of its kind" }) })
  .strict()
  .openapi('SavedViewUpdate');
export type ViewUpdate = z.infer<typeof viewUpdate>;

export const viewSchema = z
  .object({
    id: z.string(),
    entity: z.enum(LIST_ENTITIES),
    name: z.string(),
    visibility: viewVisibility,
    ownerId: z.string(),
    ownerName: z.string().nullable().openapi({ description: 'null when its maker has left the workspace' }),
    state: z.union([contactViewState, companyViewState, productViewState, orderViewState]),
    mine: z.boolean().openapi({ description: 'Made by the signed-in member' }),
    canChange: z.boolean().openapi({ description: 'The signed-in member may rename, update or delete it' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('SavedView');
export type ViewView = z.infer<typeof viewSchema>;

export const viewListQuery = z.object({ entity: z.enum(LIST_ENTITIES) }).strict();
export const viewList = z.object({ data: z.array(viewSchema) }).openapi('SavedViewList');
