import { createRoute, z } from '@hono/zod-openapi';
import { CHECKLIST_STEP_IDS } from '../domain/onboarding';
import { dismissChecklist, getChecklist } from '../services/onboarding';
import { router } from './env';
import { requires, requiresUser } from './guard';
import { errorResponses, json } from './openapi';

const tags = ['onboarding'];
const security = [{ cookie: [] }];
const checklistSchema = z
  .object({
    steps: z.array(
      z.object({
        id: z.enum(CHECKLIST_STEP_IDS).openapi({ description: 'add-people: a first contact; invite-colleague: a second member or an invitation; create-api-key: an API key' }),
        done: z.boolean(),
      }),
    ),
    complete: z.boolean().openapi({ description: 'Every step offered is done' }),
    dismissed: z.boolean().openapi({ description: 'This member put the checklist away' }),
  })
  .openapi('Checklist');

// The getting-started checklist is a member's, in the workspace they act in:
// browser sessions only, and the steps their role may take.
export const onboardingRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'The getting-started checklist',
      description:
        "What a new workspace still lacks to be useful — people, a colleague, an API key — from the workspace's own state, " +
        'listing only the steps the signed-in member’s role may take (a viewer gets none). ' +
        'The app shows it until every step is done or the member dismisses it.',
      middleware: [requiresUser, requires('records:read')] as const,
      responses: { 200: json(checklistSchema, 'The steps, each done or not'), ...errorResponses },
    }),
    async (c) => c.json(await getChecklist(c.get('scope'), c.get('user').userId), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/dismiss',
      tags,
      security,
      summary: 'Put the getting-started checklist away',
      description: 'For the signed-in member in this workspace only; the steps still count when done later. Doing it twice changes nothing.',
      middleware: [requiresUser, requires('records:read')] as const,
      responses: { 204: { description: 'Dismissed' }, ...errorResponses },
    }),
    async (c) => {
      await dismissChecklist(c.get('scope'), c.get('user').userId);
      return c.body(null, 204);
    },
  );
