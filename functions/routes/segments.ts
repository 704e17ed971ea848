import {
  segmentChangePage,
  segmentChangesQuery,
  segmentCreate,
  segmentFields,
  segmentList,
  segmentListQuery,
  segmentMemberPage,
  segmentMembersQuery,
  segmentPreview,
  segmentPreviewBody,
  segmentRefresh,
  segmentSchema,
  segmentUpdate,
} from '../schemas/segments';
import { createSegment, deleteSegment, getSegment, listSegments, restoreSegment, segmentFields as fieldsOf, updateSegment } from '../services/segments';
import { previewSegment, segmentChangesPage, segmentMembersPage } from '../services/segments/reads';
import { refreshSegment } from '../services/segments/refresh';
import { router } from './env';
import { contractsOf } from './contract';
import { idParam, json, jsonBody, sendJson } from './openapi';

const contract = contractsOf('segments');
const params = idParam('seg');

// Dynamic segments: saved filters over contacts, their companies, orders
// and scores, whose members are refreshed nightly and on demand.
export const segmentsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List segments',
      description: "The workspace's segments by name, each with its member count at the last refresh. `deleted=true` lists the trash instead, most recently deleted first.",
      permission: 'records:read',
      request: { query: segmentListQuery },
      responses: { 200: json(segmentList, 'Segments') },
    }),
    async (c) => sendJson(c, await listSegments(c.get('scope'), { deleted: c.req.valid('query').deleted === 'true' }), 200),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/fields',
      summary: 'Fields a segment can filter on',
      description:
        "Every field a condition may name (the contact's own and custom fields, its company's, its purchases and its scores), with its type, the operators it takes and its allowed values, and the currency scores are kept in.",
      permission: 'records:read',
      responses: { 200: json(segmentFields, 'Fields') },
    }),
    async (c) => c.json(await fieldsOf(c.get('scope')), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/preview',
      summary: 'Preview a segment definition',
      description:
        'Counts the contacts a definition selects now (up to 10,000; `capped` past that) and returns up to 20 of them by name, without saving anything: the live count of the builder. A field, operator or value that does not fit is a 400 naming the node.',
      permission: 'records:read',
      request: jsonBody(segmentPreviewBody),
      responses: { 200: json(segmentPreview, 'The count and the first matches') },
    }),
    async (c) => sendJson(c, await previewSegment(c.get('scope'), c.req.valid('json').definition), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Create a segment',
      description: 'Saves a definition under a name. It has no members until its first refresh (POST /api/segments/{id}/refresh, or the nightly run).',
      permission: 'records:write',
      request: jsonBody(segmentCreate),
      responses: { 201: json(segmentSchema, 'The new segment') },
    }),
    async (c) => sendJson(c, await createSegment(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}',
      summary: 'Get a segment',
      description: 'One segment with its definition, member count and when it was last refreshed.',
      permission: 'records:read',
      request: { params },
      responses: { 200: json(segmentSchema, 'The segment') },
    }),
    async (c) => sendJson(c, await getSegment(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/{id}',
      summary: 'Update a segment',
      description: 'Changes its name, description or definition; members follow a new definition at the next refresh.',
      permission: 'records:write',
      request: { params, ...jsonBody(segmentUpdate) },
      responses: { 200: json(segmentSchema, 'The segment as changed') },
    }),
    async (c) => sendJson(c, await updateSegment(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{id}',
      summary: 'Move a segment to the trash',
      description:
        "The segment leaves the list and the nightly refresh, keeping its members and history, for the workspace's undo window; restore brings it back, and the nightly job erases it after that. Its contacts are not touched.",
      permission: 'records:delete',
      request: { params },
      responses: { 204: { description: 'Done' } },
    }),
    async (c) => {
      await deleteSegment(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/restore',
      summary: 'Restore a segment from the trash',
      description: 'Brings a trashed segment back as it was deleted, with its members and history; it is refreshed again from the next night. A workspace already at its limit of live segments is refused.',
      permission: 'records:delete',
      request: { params },
      responses: { 200: json(segmentSchema, 'The restored segment') },
    }),
    async (c) => sendJson(c, await restoreSegment(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/refresh',
      summary: 'Refresh a segment now',
      description:
        'Recomputes the members at once: contacts the definition now selects enter, members it no longer selects leave, and each move is written to the history. Refreshing again without changes moves nobody.',
      permission: 'records:write',
      request: { params },
      responses: { 200: json(segmentRefresh, 'Who moved, and the count now') },
    }),
    async (c) => c.json(await refreshSegment(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}/members',
      summary: "A segment's members",
      description: 'The members found by the last refresh, by name, with when each entered; a page at a time with `nextCursor`. Contacts in the trash are left out.',
      permission: 'records:read',
      request: { params, query: segmentMembersQuery },
      responses: { 200: json(segmentMemberPage, 'A page of members') },
    }),
    async (c) => sendJson(c, await segmentMembersPage(c.get('scope'), c.req.valid('param').id, c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}/changes',
      summary: "Who entered and left a segment",
      description: "The segment's membership history, newest first: each contact's entry or exit, when, and the nightly run that saw it (null for a refresh on demand).",
      permission: 'records:read',
      request: { params, query: segmentChangesQuery },
      responses: { 200: json(segmentChangePage, 'A page of changes') },
    }),
    async (c) => sendJson(c, await segmentChangesPage(c.get('scope'), c.req.valid('param').id, c.req.valid('query')), 200),
  );
