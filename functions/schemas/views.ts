import { z } from '@hono/zod-openapi';
import { LIST_ENTITIES } from '../domain/lists';
import { COMPANY_SORTS, companyFilter, companyViewEntity, companyViewState } from './company-list';
import { CONTACT_SORTS, contactFilter, contactViewEntity, contactViewState } from './contact-list';
import { viewCommon, viewStateSchema, viewUpdateCommon, viewVisibility } from './lists';

// Saved views: a name, who sees it, and the list's state (filters, sort,
// columns) for one object's list. The state is the list's own filter, so a
// view opened writes exactly these into the list's URL.

export const viewCreate = z
  .discriminatedUnion('entity', [
    contactViewEntity.extend(viewCommon).strict(),
    companyViewEntity.extend(viewCommon).strict(),
  ])
  .openapi('SavedViewCreate');
export type ViewCreate = z.infer<typeof viewCreate>;

// The state of either kind of list; the service checks it against the
// kind of the stored view.
const anyFilter = z
  .object({ ...contactFilter.shape, ...companyFilter.shape, q: z.string().trim().max(200).optional() })
  .strict()
  .openapi({ description: "The filters of the view's list (ContactFilter or CompanyFilter)" });
const anyState = viewStateSchema(anyFilter, z.enum([...new Set([...CONTACT_SORTS, ...COMPANY_SORTS])] as [string, ...string[]]));
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
    state: z.union([contactViewState, companyViewState]),
    mine: z.boolean().openapi({ description: 'Made by the signed-in member' }),
    canChange: z.boolean().openapi({ description: 'The signed-in member may rename, update or delete it' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('SavedView');
export type ViewView = z.infer<typeof viewSchema>;

export const viewListQuery = z.object({ entity: z.enum(LIST_ENTITIES) }).strict();
export const viewList = z.object({ data: z.array(viewSchema) }).openapi('SavedViewList');
