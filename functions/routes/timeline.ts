import { timelinePage, timelineQuery } from '../schemas/timeline';
import { readTimeline } from '../services/timeline';
import { router } from './env';
import { contractsOf } from './contract';
import { json, sendJson } from './openapi';

const contract = contractsOf('timeline');

export const timelineRoutes = router().openapi(
  contract({
    method: 'get',
    path: '/',
    summary: "A contact's or company's whole story, newest first",
    description:
      "Every entry about the record, of every kind: activities (notes, calls…; on a company also those of its people) and changes (created, fields edited with their old and new values, trashed, restored), each with who and when. Filter with kinds; page with nextCursor.",
    permission: 'records:read',
    request: { query: timelineQuery },
    responses: { 200: json(timelinePage, 'A page of the timeline') },
  }),
  async (c) => sendJson(c, await readTimeline(c.get('scope'), c.req.valid('query')), 200),
);
