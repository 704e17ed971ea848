import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from './deps';
import { activitiesRoutes } from './routes/activities';
import { analyticsRoutes } from './routes/analytics';
import { apiKeysRoutes } from './routes/api-keys';
import { auth } from './routes/auth';
import { authenticate, sameOrigin } from './routes/authenticate';
import { bulkOperationsRoutes } from './routes/bulk-operations';
import { companiesRoutes } from './routes/companies';
import { contactsRoutes } from './routes/contacts';
import { customFieldsRoutes } from './routes/custom-fields';
import { duplicatesRoutes } from './routes/duplicates';
import { companyExportRoutes, contactExportRoutes, orderExportRoutes, productExportRoutes } from './routes/exports';
import { importsRoutes } from './routes/imports';
import { apiDocs } from './routes/docs';
import type { AppEnv } from './routes/env';
import { errorBody, renderError, validationHook } from './routes/errors';
import { invitationsRoutes } from './routes/invitations';
import { companyListRoutes, contactListRoutes, orderListRoutes, productListRoutes } from './routes/lists';
import { membersRoutes } from './routes/members';
import { onboardingRoutes } from './routes/onboarding';
import { ordersRoutes } from './routes/orders';
import { productsRoutes } from './routes/products';
import { rejectNul } from './routes/reject-nul';
import { contactInsightsRoutes, segmentationRoutes } from './routes/segmentation';
import { segmentsRoutes } from './routes/segments';
import { timelineRoutes } from './routes/timeline';
import { viewsRoutes } from './routes/views';
import { webhookDeliveriesRoutes } from './routes/webhook-deliveries';
import { webhookEventsRoutes } from './routes/webhook-events';
import { webhookSourcesRoutes } from './routes/webhook-sources';
import { webhookSubscriptionsRoutes } from './routes/webhook-subscriptions';
import { webhookReceiver } from './routes/webhooks';
import { workspaceRoutes } from './routes/workspace';
import { createAuthCache } from './services/auth/cache';

const MAX_BODY_BYTES = 1024 * 1024;

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => c.json(errorBody(c, { code: 'payload_too_large', message: 'The body is over 1 MiB' }), 413),
});
// bodyLimit looks at c.req.raw.body, which on the Node host turns the
// lightweight request into a full fetch Request (headers copied, an
// AbortController): about 60 µs, a fifth of a GET by id, spent on requests
// that carry no body (fetch allows none on GET or HEAD, and nothing of ours
// reads one there).
// An import's file is the one body allowed past it: the upload streams it
// and enforces its own limit (functions/services/imports/upload.ts).
const IMPORT_FILE = /^\/api\/imports\/[^/]+\/file$/;
const limitBodies = createMiddleware<AppEnv>((c, next) =>
  c.req.method === 'GET' || c.req.method === 'HEAD' || (c.req.method === 'PUT' && IMPORT_FILE.test(c.req.path)) ? next() : limitBody(c, next),
);

export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(renderError);
  const authCache = createAuthCache();
  app.use('*', requestId(), async (c, next) => {
    c.set('deps', deps);
    c.set('authCache', authCache);
    await next();
  });
  app.use('/api/*', secureHeaders(), sameOrigin, limitBodies, rejectNul);
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/openapi.json' || c.req.path === '/api/docs') return next();
    return authenticate(c, next);
  });

  const routes = app
    .route('/api/auth', auth)
    // A list's count, tags and bulk actions before its records' /{id}.
    .route('/api/contacts', contactExportRoutes)
    .route('/api/contacts', contactListRoutes)
    .route('/api/contacts', contactsRoutes)
    .route('/api/companies', companyExportRoutes)
    .route('/api/companies', companyListRoutes)
    .route('/api/companies', companiesRoutes)
    .route('/api/products', productExportRoutes)
    .route('/api/products', productListRoutes)
    .route('/api/products', productsRoutes)
    .route('/api/orders', orderExportRoutes)
    .route('/api/orders', orderListRoutes)
    .route('/api/orders', ordersRoutes)
    .route('/api/views', viewsRoutes)
    .route('/api/bulk-operations', bulkOperationsRoutes)
    .route('/api/activities', activitiesRoutes)
    .route('/api/timeline', timelineRoutes)
    .route('/api/duplicates', duplicatesRoutes)
    .route('/api/custom-fields', customFieldsRoutes)
    .route('/api/members', membersRoutes)
    .route('/api/invitations', invitationsRoutes)
    .route('/api/api-keys', apiKeysRoutes)
    .route('/api/workspace', workspaceRoutes)
    .route('/api/onboarding', onboardingRoutes)
    .route('/api/contacts', contactInsightsRoutes)
    .route('/api/segmentation', segmentationRoutes)
    .route('/api/segments', segmentsRoutes)
    .route('/api/analytics', analyticsRoutes)
    .route('/api/imports', importsRoutes)
    .route('/api/webhook-sources', webhookSourcesRoutes)
    .route('/api/webhook-events', webhookEventsRoutes)
    .route('/api/webhook-subscriptions', webhookSubscriptionsRoutes)
    .route('/api/webhook-deliveries', webhookDeliveriesRoutes);

  // Senders' requests: verified by their signatures, not a session.
  app.route('/webhooks', webhookReceiver);

  app.openAPIRegistry.registerComponent('securitySchemes', 'cookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'relate_session',
    description: 'Browser session; state-changing requests also send x-csrf-token',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (rk_…) from Settings → API keys',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Relate API', version: '1.0.0', description: 'Contacts, companies and their timeline.' },
  });
  app.route('/api/docs', apiDocs);
  app.all('/api/*', (c) => c.json(errorBody(c, { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` }), 404));
  return routes;
}

export type App = ReturnType<typeof createApp>;
export type AppType = App;
