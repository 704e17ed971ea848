import { createRoute } from '@hono/zod-openapi';
import { activityCreate, activityListQuery, activityPage, activitySchema } from '../schemas/activities';
import { createActivity, listActivities } from '../services/activities';
import { router } from './env';
import { requires } from './guard';
import { errorResponses, json, jsonBody, security, sendJson } from './openapi';

const tags = ['activities'];

export const activitiesRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: "A contact's or company's timeline, newest first",
      middleware: [requires('records:read')] as const,
      request: { query: activityListQuery },
      responses: { 200: json(activityPage, 'A page of activities'), ...errorResponses },
    }),
    async (c) => sendJson(c, await listActivities(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      middleware: [requires('records:write')] as const,
      request: jsonBody(activityCreate),
      responses: { 201: json(activitySchema, 'The new activity'), ...errorResponses },
    }),
    async (c) => sendJson(c, await createActivity(c.get('scope'), c.req.valid('json')), 201),
  );
