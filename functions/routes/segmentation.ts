import { z } from '@hono/zod-openapi';
import {
  analyticsSettingsSchema,
  analyticsSettingsUpdate,
  insightsSchema,
  runListQuery,
  runSchema,
} from '../schemas/segmentation';
import { contactInsights, getAnalyticsSettings, getRun, listRuns, runNow, updateAnalyticsSettings } from '../services/segmentation';
import { router } from './env';
import { contractsOf } from './contract';
import { idParam, json, jsonBody } from './openapi';


const contract = contractsOf('segmentation');

// The nightly segmentation: its runs, "run now" and the settings it reads.
export const segmentationRoutes = router()
  .openapi(
    contract({
      method: 'post',
      path: '/runs',
      summary: 'Run segmentation now',
      description:
        'Starts a segmentation of the workspace (RFM scores, segments, tiers, churn risk, lifetime value, bought-together products) as a queue job and answers 202 with the new run; if a run is already going, answers 200 with that one. Owners and admins.',
      permission: 'analytics:manage',
      responses: {
        200: json(runSchema, 'The run already going'),
        202: json(runSchema, 'The run, started'),
      },
    }),
    async (c) => {
      const { started, run } = await runNow(c.get('scope'), c.get('deps').queues);
      return started ? c.json(run, 202) : c.json(run, 200);
    },
  )
  .openapi(
    contract({
      method: 'get',
      path: '/runs',
      summary: 'List segmentation runs',
      description: "The workspace's most recent runs, newest first, each with its progress and, once done, its figures (customers, segments, tiers, who entered which segment, orders without an exchange rate, duration).",
      permission: 'records:read',
      request: { query: runListQuery },
      responses: { 200: json(z.object({ data: z.array(runSchema) }), 'Recent runs') },
    }),
    async (c) => c.json({ data: await listRuns(c.get('scope'), c.req.valid('query').limit) }, 200),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/runs/{id}',
      summary: "A segmentation run's progress",
      description: 'Phase, chunks committed, customers gone through of the total and a percentage for a progress bar; its figures once done.',
      permission: 'records:read',
      request: { params: idParam('run') },
      responses: { 200: json(runSchema, 'The run') },
    }),
    async (c) => c.json(await getRun(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/settings',
      summary: 'Analytics settings',
      description: 'The currency revenue is reported in, the RFM window in days and the exchange rates orders in other currencies are converted with.',
      permission: 'records:read',
      responses: { 200: json(analyticsSettingsSchema, 'The settings') },
    }),
    async (c) => c.json(await getAnalyticsSettings(c.get('scope')), 200),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/settings',
      summary: 'Change analytics settings',
      description:
        'Sets the reporting currency, the RFM window (30–3650 days) and the exchange rates (the whole set: a currency left out loses its rate; a rate is what one unit of that currency is worth in the reporting currency). The next run uses them. Owners and admins.',
      permission: 'analytics:manage',
      request: jsonBody(analyticsSettingsUpdate),
      responses: { 200: json(analyticsSettingsSchema, 'The settings now') },
    }),
    async (c) => c.json(await updateAnalyticsSettings(c.get('scope'), c.req.valid('json')), 200),
  );

// Mounted under /api/contacts: what segmentation says about one contact.
export const contactInsightsRoutes = router().openapi(
  contractsOf('contacts')({
    method: 'get',
    path: '/{id}/insights',
    summary: "A contact's customer insights",
    description:
      "The last segmentation's view of the contact: RFM scores, segment and tier, churn risk with the reason in words, lifetime value (historical, and predicted for 12 months), how their segment changed run by run, and products others who bought what they bought also buy. `scored` is false until they have bought and a run has scored them.",
    permission: 'records:read',
    request: { params: idParam('con') },
    responses: { 200: json(insightsSchema, 'The insights') },
  }),
  async (c) => c.json(await contactInsights(c.get('scope'), c.req.valid('param').id), 200),
);
