import { createRoute } from '@hono/zod-openapi';
import {
  segmentChangePage,
  segmentChangesQuery,
  segmentCreate,
  segmentFields,
  segmentList,
  segmentMemberPage,
  segmentMembersQuery,
  segmentPreview,
  segmentPreviewBody,
  segmentRefresh,
  segmentSchema,
  segmentUpdate,
} from '../schemas/segments';
import { createSegment, deleteSegment, getSegment, listSegments, segmentFields as fieldsOf, updateSegment } from '../services/segments';
import { previewSegment, segmentChangesPage, segmentMembersPage } from '../services/segments/reads';
import { refreshSegment } from '../services/segments/refresh';
import { router } from './env';
import { requires } from './guard';
import { errorResponses, idParam, json, jsonBody, security, sendJson } from './openapi';

const tags = ['segments'];
const params = idParam('seg');

// Dynamic segments: saved filters over contacts, their companies, orders
// and scores, whose members are refreshed nightly and on demand.
export const segmentsRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'List segments',
      description: "The workspace's segments by name, each with its member count at the last refresh.",
      middleware: [requires('records:read')] as const,
      responses: { 200: json(segmentList, 'Segments'), ...errorResponses },
    }),
    async (c) => sendJson(c, await listSegments(c.get('scope')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/fields',
      tags,
      security,
      summary: 'Fields a segment can filter on',
      description:
        "Every field a condition may name (the contact's own and custom fields, its company's, its purchases and its scores), with its type, the operators it takes and its allowed values, and the currency scores are kept in.",
      middleware: [requires('records:read')] as const,
      responses: { 200: json(segmentFields, 'Fields'), ...errorResponses },
    }),
    async (c) => c.json(await fieldsOf(c.get('scope')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/preview',
      tags,
      security,
      summary: 'Preview a segment definition',
      description:
        'Counts the contacts a definition selects now (up to 10,000; `capped` past that) and returns up to 20 of them by name, without saving anything: the live count of the builder. A field, operator or value that does not fit is a 400 naming the node.',
      middleware: [requires('records:read')] as const,
      request: jsonBody(segmentPreviewBody),
      responses: { 200: json(segmentPreview, 'The count and the first matches'), ...errorResponses },
    }),
    async (c) => sendJson(c, await previewSegment(c.get('scope'), c.req.valid('json').definition), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      summary: 'Create a segment',
      description: 'Saves a definition under a name. It has no members until its first refresh (POST /api/segments/{id}/refresh, or the nightly run).',
      middleware: [requires('records:write')] as const,
      request: jsonBody(segmentCreate),
      responses: { 201: json(segmentSchema, 'The new segment'), ...errorResponses },
    }),
    async (c) => sendJson(c, await createSegment(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      summary: 'Get a segment',
      description: 'One segment with its definition, member count and when it was last refreshed.',
      middleware: [requires('records:read')] as const,
      request: { params },
      responses: { 200: json(segmentSchema, 'The segment'), ...errorResponses },
    }),
    async (c) => sendJson(c, await getSegment(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      security,
      summary: 'Update a segment',
      description: 'Changes its name, description or definition; members follow a new definition at the next refresh.',
      middleware: [requires('records:write')] as const,
      request: { params, ...jsonBody(segmentUpdate) },
      responses: { 200: json(segmentSchema, 'The segment as changed'), ...errorResponses },
    }),
    async (c) => sendJson(c, await updateSegment(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Move a segment to the trash',
      description: 'The segment leaves the list and the nightly refresh. Its contacts are not touched.',
      middleware: [requires('records:delete')] as const,
      request: { params },
      responses: { 204: { description: 'Done' }, ...errorResponses },
    }),
    async (c) => {
      await deleteSegment(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/refresh',
      tags,
      security,
      summary: 'Refresh a segment now',
      description:
        'Recomputes the members at once: contacts the definition now selects enter, members it no longer selects leave, and each move is written to the history. Refreshing again without changes moves nobody.',
      middleware: [requires('records:write')] as const,
      request: { params },
      responses: { 200: json(segmentRefresh, 'Who moved, and the count now'), ...errorResponses },
    }),
    async (c) => c.json(await refreshSegment(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/members',
      tags,
      security,
      summary: "A segment's members",
      description: 'The members found by the last refresh, by name, with when each entered; a page at a time with `nextCursor`. Contacts in the trash are left out.',
      middleware: [requires('records:read')] as const,
      request: { params, query: segmentMembersQuery },
      responses: { 200: json(segmentMemberPage, 'A page of members'), ...errorResponses },
    }),
    async (c) => sendJson(c, await segmentMembersPage(c.get('scope'), c.req.valid('param').id, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/changes',
      tags,
      security,
      summary: "Who entered and left a segment",
      description: "The segment's membership history, newest first: each contact's entry or exit, when, and the nightly run that saw it (null for a refresh on demand).",
      middleware: [requires('records:read')] as const,
      request: { params, query: segmentChangesQuery },
      responses: { 200: json(segmentChangePage, 'A page of changes'), ...errorResponses },
    }),
    async (c) => sendJson(c, await segmentChangesPage(c.get('scope'), c.req.valid('param').id, c.req.valid('query')), 200),
  );
