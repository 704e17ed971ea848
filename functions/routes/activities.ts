import { activityCreate, activityListQuery, activityPage, activitySchema, activityUpdate } from '../schemas/activities';
import { createActivity, deleteActivity, listActivities, updateActivity } from '../services/activities';
import { router } from './env';
import { contractsOf } from './contract';
import { idParam, json, jsonBody, sendJson } from './openapi';

const contract = contractsOf('activities');
const params = idParam('act');

export const activitiesRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: "A contact's or company's activities, newest first",
      description:
        'Notes, calls, meetings and the other activities logged on one record, paged by when they happened. The record page reads GET /api/timeline, which adds field changes and, for a company, its people’s activities.',
      permission: 'records:read',
      request: { query: activityListQuery },
      responses: { 200: json(activityPage, 'A page of activities') },
    }),
    async (c) => sendJson(c, await listActivities(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Log a note, call, meeting or other activity',
      description: 'On exactly one live contact or company; occurredAt defaults to now. The author is the caller.',
      permission: 'records:write',
      request: jsonBody(activityCreate),
      responses: { 201: json(activitySchema, 'The new activity') },
    }),
    async (c) => sendJson(c, await createActivity(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/{id}',
      summary: 'Edit an activity',
      description:
        'Changes what a note says (or its type, subject, time). Audited with the fields it set, not their text. A 404 when the activity, or the record it hangs on, is gone.',
      permission: 'records:write',
      request: { params, ...jsonBody(activityUpdate) },
      responses: { 200: json(activitySchema, 'The edited activity') },
    }),
    async (c) => sendJson(c, await updateActivity(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{id}',
      summary: 'Delete an activity for good',
      description: 'Audited (what kind it was and the record it hung on); its text is gone.',
      permission: 'records:delete',
      request: { params },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteActivity(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
