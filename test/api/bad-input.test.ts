import { FORM_FIELDS } from '../../functions/domain/webhooks/forms';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { anOrder, aProduct } from '../fixtures/commerce';
import {
  anApiKey,
  created,
  documentedLimits,
  expectErrorReply,
  openApiDocument,
  routesWithBody,
  routesWithPathParameters,
  routesWithQuery,
  tableRowCounts,
  type LimitKeyword,
} from '../fixtures/requests';

// Whatever a client sends, a bad request gets a 4xx with the JSON error body
// of functions/routes/errors.ts and changes nothing: every case below counts
// the rows of every table in db/schema before and after.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const PASSWORD = 'correct horse battery';
const A_ULID = '01JD5X9Q2M7R4T8V6W3Y0Z1A2B';
const unique = () => Math.random().toString(36).slice(2, 10);

type Member = Awaited<ReturnType<typeof aMember>>;

// A form fill in the owner's inbox, sent by a Standard Webhooks source.
async function aReceivedEvent(owner: Member): Promise<string> {
  const source = await created(owner.caller.post('/api/webhook-sources', { name: 'Signed forms', kind: 'standard' }));
  const body = JSON.stringify({ type: 'form.submitted', data: { email: 'kim@example.com' } });
  const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': new StandardWebhook(source.secret).sign('msg_1', new Date(t.clock.now), body) };
  const res = await t.app.request(`http://localhost/webhooks/${source.id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return ((await res.json()) as { id: string }).id;
}

// A form tool that signs with its own HMAC, mapping two fields.
const formSource = () => ({
  name: 'Website forms',
  kind: 'hmac',
  hmac: { header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
  mapping: { email: 'fields.email', fullName: 'fields.name' },
});

// Each case gets a workspace of its own, holding only what the case needs.
type Need =
  | 'contact'
  | 'company'
  | 'trashed contact'
  | 'select field'
  | 'number field'
  | 'custom fields'
  | 'invitation'
  | 'revoked invitation'
  | 'note'
  | 'note of a trashed contact'
  | 'view'
  | 'bulk tagging'
  | 'undone bulk delete'
  | 'product'
  | 'order'
  | 'segment'
  | 'uploaded import'
  | 'webhook source'
  | 'webhook event'
  | 'webhook subscription'
  | 'webhook delivery';

async function aWorkspace(owner: Member, needs: ReadonlySet<Need>) {
  const post = (path: string, body: unknown) => created(owner.caller.post(path, body));
  const field = (entity: string, key: string, type: string, options?: string[]) =>
    post('/api/custom-fields', { entity, key, label: key.replace('_', ' '), type, options });
  const made: Partial<Record<Need, string>> = {};
  if (needs.has('contact')) made.contact = (await post('/api/contacts', aContact())).id;
  if (needs.has('company')) made.company = (await post('/api/companies', { name: 'Initech' })).id;
  if (needs.has('product')) made.product = (await post('/api/products', aProduct())).id;
  if (needs.has('order')) made.order = (await post('/api/orders', anOrder({ customer: { email: `buyer-${unique()}@example.com` } }))).id;
  if (needs.has('trashed contact')) {
    made['trashed contact'] = (await post('/api/contacts', aContact())).id;
    await created(owner.caller.delete(`/api/contacts/${made['trashed contact']}`));
  }
  if (needs.has('select field') || needs.has('custom fields')) {
    made['select field'] = (await field('contact', 'tier', 'select', ['gold', 'silver'])).id;
  }
  if (needs.has('number field') || needs.has('custom fields')) made['number field'] = (await field('contact', 'score', 'number')).id;
  if (needs.has('custom fields')) {
    await field('contact', 'languages', 'multi_select', ['en', 'fr']);
    await field('contact', 'customer_since', 'date');
    await field('contact', 'vip', 'boolean');
    await field('company', 'segment', 'select', ['smb', 'enterprise']);
  }
  if (needs.has('note')) {
    const contact = (await post('/api/contacts', aContact())).id;
    made.note = (await post('/api/activities', { contactId: contact, body: 'Called about the renewal' })).id;
  }
  if (needs.has('note of a trashed contact')) {
    const contact = (await post('/api/contacts', aContact())).id;
    made['note of a trashed contact'] = (await post('/api/activities', { contactId: contact, body: 'Before the trash' })).id;
    await created(owner.caller.delete(`/api/contacts/${contact}`));
  }
  if (needs.has('invitation')) made.invitation = (await post('/api/invitations', { role: 'sales' })).token;
  if (needs.has('view')) made.view = (await post('/api/views', { entity: 'contact', name: 'Leads', state: { filters: { lifecycleStage: ['lead'] } } })).id;
  if (needs.has('bulk tagging') || needs.has('undone bulk delete')) {
    const id = (await post('/api/contacts', aContact())).id;
    if (needs.has('bulk tagging')) made['bulk tagging'] = (await post('/api/contacts/bulk', { selection: { ids: [id] }, action: { type: 'addTags', tags: ['vip'] } })).id;
    if (needs.has('undone bulk delete')) {
      made['undone bulk delete'] = (await post('/api/contacts/bulk', { selection: { ids: [id] }, action: { type: 'delete' } })).id;
      await post(`/api/bulk-operations/${made['undone bulk delete']}/undo`, undefined);
    }
  }
  if (needs.has('segment')) made.segment = (await post('/api/segments', { name: 'Everyone', definition: everyone })).id;
  if (needs.has('webhook source')) made['webhook source'] = (await post('/api/webhook-sources', formSource())).id;
  if (needs.has('webhook event')) made['webhook event'] = await aReceivedEvent(owner);
  if (needs.has('webhook subscription') || needs.has('webhook delivery')) {
    made['webhook subscription'] = (await post('/api/webhook-subscriptions', { url: 'https://hooks.example.com/relate', eventTypes: ['contact.created'] })).id;
  }
  if (needs.has('webhook delivery')) {
    await post('/api/contacts', aContact());
    made['webhook delivery'] = (await owner.caller.get('/api/webhook-deliveries')).json.data[0].id;
  }
  if (needs.has('uploaded import')) {
    const started = await post('/api/imports', { entity: 'contact', filename: 'people.csv' });
    await created(owner.caller.request('PUT', `/api/imports/${started.id}/file`, { rawBody: 'email\nada@example.com\n', headers: { 'content-type': 'text/csv' } }));
    made['uploaded import'] = started.id;
  }
  if (needs.has('revoked invitation')) {
    made['revoked invitation'] = (await post('/api/invitations', { role: 'viewer' })).id;
    await created(owner.caller.delete(`/api/invitations/${made['revoked invitation']}`));
  }
  // A case that reads what it did not ask for fails here, rather than
  // sending "undefined" and passing for the wrong reason.
  const the = (need: Need) => {
    const value = made[need];
    if (value === undefined) throw new Error(`the case did not ask for a ${need}`);
    return value;
  };
  return {
    owner,
    get contactId() { return the('contact'); },
    get companyId() { return the('company'); },
    get productId() { return the('product'); },
    get orderId() { return the('order'); },
    get trashedContactId() { return the('trashed contact'); },
    get tierFieldId() { return the('select field'); },
    get scoreFieldId() { return the('number field'); },
    get invitationToken() { return the('invitation'); },
    get revokedInvitationId() { return the('revoked invitation'); },
    get noteId() { return the('note'); },
    get trashedNoteId() { return the('note of a trashed contact'); },
    get viewId() { return the('view'); },
    get taggingId() { return the('bulk tagging'); },
    get undoneDeleteId() { return the('undone bulk delete'); },
    get segmentId() { return the('segment'); },
    get webhookSourceId() { return the('webhook source'); },
    get webhookEventId() { return the('webhook event'); },
    get webhookSubscriptionId() { return the('webhook subscription'); },
    get webhookDeliveryId() { return the('webhook delivery'); },
    get importId() { return the('uploaded import'); },
  };
}
type World = Awaited<ReturnType<typeof aWorkspace>>;

// A sign-up costs a PBKDF2 hash (functions/domain/passwords.ts). Each block
// signs up one owner per case before its cases run, several at a time, and
// every case takes an owner nobody else has used.
function ownersForEachCase(count: number) {
  const owners: Member[] = [];
  beforeAll(async () => {
    while (owners.length < count) {
      const batch = Math.min(8, count - owners.length);
      owners.push(...(await Promise.all(Array.from({ length: batch }, () => aMember(t.app)))));
    }
  }, 120_000);
  return () => {
    const owner = owners.pop();
    if (!owner) throw new Error('more cases than owners signed up for them');
    return owner;
  };
}

// Who sends the request.
type As = 'owner' | 'anonymous' | 'newcomer' | 'owner without CSRF header' | 'read key' | 'revoked key' | 'unknown key';
async function callerFor(w: World, as: As): Promise<Caller> {
  switch (as) {
    case 'owner':
      return w.owner.caller;
    case 'anonymous':
      return new Caller(t.app);
    case 'newcomer':
      // Signed in, and not yet a member of the case's workspace.
      return (await aMember(t.app)).caller;
    case 'owner without CSRF header': {
      // The session cookie alone, as a forged cross-site form would carry it.
      const caller = w.owner.caller;
      caller.csrf = '';
      return caller;
    }
    case 'read key':
      return (await anApiKey(t.app, w.owner.caller, 'read')).caller;
    case 'revoked key': {
      const key = await anApiKey(t.app, w.owner.caller, 'write');
      await created(w.owner.caller.delete(`/api/api-keys/${key.id}`));
      return key.caller;
    }
    case 'unknown key':
      return new Caller(t.app, `rk_${unique()}_${'x'.repeat(43)}`);
  }
}

// ---------------------------------------------------------------------------
// The endpoints that take input, each with a valid request that cases break
// one way at a time (the first describe block proves these are valid).

type Route = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /api/${string}`;
type Json = Record<string, unknown>;
type BodyEndpoint = { route: Route; as: As; needs?: Need[]; path?: (w: World) => string; valid: (w: World) => Json };
type ListEndpoint = { route: Route; needs?: Need[]; path?: (w: World) => string; valid: (w: World) => Record<string, string> };
const everyone = { type: 'group', op: 'and', children: [] };
const vipsOrBuyers = { type: 'group', op: 'or', children: [{ type: 'condition', field: 'contact.tags', operator: 'any_of', value: ['vip'] }, { type: 'condition', field: 'orders.count', operator: 'gte', value: 1, days: 90 }] };

const bodyEndpoints: BodyEndpoint[] = [
  { route: 'POST /api/auth/sign-up', as: 'anonymous', valid: () => ({ email: `new-${unique()}@example.com`, password: PASSWORD, name: 'Grace', workspaceName: 'Hopper Labs' }) },
  { route: 'POST /api/auth/sign-in', as: 'anonymous', valid: (w) => ({ email: w.owner.email, password: PASSWORD }) },
  { route: 'POST /api/auth/switch-workspace', as: 'owner', valid: (w) => ({ workspaceId: w.owner.workspaceId }) },
  { route: 'PATCH /api/auth/account', as: 'owner', valid: () => ({ name: 'Grace Brewster Hopper' }) },
  { route: 'POST /api/auth/password', as: 'owner', valid: () => ({ currentPassword: PASSWORD, newPassword: 'lighthouse pebble anthem' }) },
  { route: 'POST /api/contacts', as: 'owner', valid: () => aContact() },
  { route: 'PATCH /api/contacts/{id}', as: 'owner', needs: ['contact'], path: (w) => `/api/contacts/${w.contactId}`, valid: () => ({ jobTitle: 'Analyst' }) },
  { route: 'POST /api/companies', as: 'owner', valid: () => ({ name: 'Acme' }) },
  { route: 'PATCH /api/companies/{id}', as: 'owner', needs: ['company'], path: (w) => `/api/companies/${w.companyId}`, valid: () => ({ industry: 'Widgets' }) },
  { route: 'POST /api/activities', as: 'owner', needs: ['contact'], valid: (w) => ({ contactId: w.contactId, body: 'Called about the renewal' }) },
  { route: 'PATCH /api/activities/{id}', as: 'owner', needs: ['note'], path: (w) => `/api/activities/${w.noteId}`, valid: () => ({ body: 'Called about the renewal, twice' }) },
  { route: 'POST /api/custom-fields', as: 'owner', valid: () => ({ entity: 'contact', key: 'shoe_size', label: 'Shoe size', type: 'number' }) },
  { route: 'PATCH /api/custom-fields/{id}', as: 'owner', needs: ['select field'], path: (w) => `/api/custom-fields/${w.tierFieldId}`, valid: () => ({ label: 'Level' }) },
  { route: 'PATCH /api/members/{userId}', as: 'owner', path: (w) => `/api/members/${w.owner.userId}`, valid: () => ({ role: 'owner' }) },
  { route: 'POST /api/invitations', as: 'owner', valid: () => ({ role: 'sales' }) },
  { route: 'POST /api/invitations/lookup', as: 'anonymous', needs: ['invitation'], valid: (w) => ({ token: w.invitationToken }) },
  { route: 'POST /api/invitations/accept', as: 'newcomer', needs: ['invitation'], valid: (w) => ({ token: w.invitationToken }) },
  { route: 'POST /api/api-keys', as: 'owner', valid: () => ({ name: 'Zapier', scope: 'read' }) },
  { route: 'PATCH /api/workspace', as: 'owner', valid: () => ({ name: 'Renamed Ltd' }) },
  { route: 'POST /api/contacts/bulk', as: 'owner', needs: ['contact'], valid: (w) => ({ selection: { ids: [w.contactId] }, action: { type: 'addTags', tags: ['vip'] } }) },
  { route: 'POST /api/companies/bulk', as: 'owner', needs: ['company'], valid: (w) => ({ selection: { ids: [w.companyId] }, action: { type: 'addTags', tags: ['vip'] } }) },
  { route: 'POST /api/views', as: 'owner', valid: () => ({ entity: 'contact', name: 'Customers', state: { filters: { lifecycleStage: ['customer'] } } }) },
  { route: 'POST /api/products', as: 'owner', valid: () => aProduct() },
  { route: 'PATCH /api/products/{id}', as: 'owner', needs: ['product'], path: (w) => `/api/products/${w.productId}`, valid: () => ({ price: 2500 }) },
  { route: 'POST /api/products/bulk', as: 'owner', needs: ['product'], valid: (w) => ({ selection: { ids: [w.productId] }, action: { type: 'setActive', active: false } }) },
  { route: 'POST /api/orders', as: 'owner', needs: ['contact'], valid: (w) => anOrder({ contactId: w.contactId }) },
  { route: 'PATCH /api/orders/{id}', as: 'owner', needs: ['order'], path: (w) => `/api/orders/${w.orderId}`, valid: () => ({ status: 'fulfilled' }) },
  { route: 'POST /api/orders/bulk', as: 'owner', needs: ['order'], valid: (w) => ({ selection: { ids: [w.orderId] }, action: { type: 'delete' } }) },
  { route: 'POST /api/orders/batch', as: 'owner', valid: () => ({ orders: [anOrder({ externalId: `shop-${unique()}`, customer: { email: 'batch@example.com' } })] }) },
  { route: 'PATCH /api/views/{id}', as: 'owner', needs: ['view'], path: (w) => `/api/views/${w.viewId}`, valid: () => ({ name: 'Warm leads' }) },
  { route: 'PATCH /api/segmentation/settings', as: 'owner', valid: () => ({ windowDays: 180, exchangeRates: [{ currency: 'EUR', rate: 1.1 }] }) },
  { route: 'POST /api/segments', as: 'owner', valid: () => ({ name: 'VIPs and buyers', definition: vipsOrBuyers }) },
  { route: 'POST /api/segments/preview', as: 'owner', valid: () => ({ definition: vipsOrBuyers }) },
  { route: 'PATCH /api/segments/{id}', as: 'owner', needs: ['segment'], path: (w) => `/api/segments/${w.segmentId}`, valid: () => ({ name: 'Renamed', definition: vipsOrBuyers }) },
  { route: 'POST /api/imports', as: 'owner', valid: () => ({ entity: 'contact', filename: 'people.csv' }) },
  { route: 'POST /api/webhook-events/replay', as: 'owner', needs: ['webhook event'], valid: (w) => ({ ids: [w.webhookEventId] }) },
  { route: 'POST /api/webhook-sources', as: 'owner', valid: () => ({ ...formSource(), secret: 'a pasted form secret' }) },
  { route: 'PATCH /api/webhook-sources/{id}', as: 'owner', needs: ['webhook source'], path: (w) => `/api/webhook-sources/${w.webhookSourceId}`, valid: () => ({ name: 'Renamed', hmac: formSource().hmac, mapping: formSource().mapping }) },
  { route: 'POST /api/webhook-sources/{id}/rotate-secret', as: 'owner', needs: ['webhook source'], path: (w) => `/api/webhook-sources/${w.webhookSourceId}/rotate-secret`, valid: () => ({ secret: 'another pasted secret', graceHours: 24 }) },
  { route: 'POST /api/webhook-subscriptions', as: 'owner', valid: () => ({ url: 'https://hooks.example.com/new', description: 'Zapier', eventTypes: ['contact.created', 'lead.captured'] }) },
  { route: 'PATCH /api/webhook-subscriptions/{id}', as: 'owner', needs: ['webhook subscription'], path: (w) => `/api/webhook-subscriptions/${w.webhookSubscriptionId}`, valid: () => ({ url: 'https://hooks.example.com/moved', description: 'Make', eventTypes: ['company.created'], enabled: true }) },
  { route: 'POST /api/webhook-subscriptions/{id}/rotate-secret', as: 'owner', needs: ['webhook subscription'], path: (w) => `/api/webhook-subscriptions/${w.webhookSubscriptionId}/rotate-secret`, valid: () => ({ graceHours: 24 }) },
  { route: 'POST /api/webhook-deliveries/redeliver', as: 'owner', needs: ['webhook delivery'], valid: (w) => ({ ids: [w.webhookDeliveryId] }) },
  { route: 'POST /api/imports/{id}/start', as: 'owner', needs: ['uploaded import'], path: (w) => `/api/imports/${w.importId}/start`, valid: () => ({ mapping: ['email'], dedupe: 'skip' }) },
];

const listEndpoints: ListEndpoint[] = [
  { route: 'GET /api/contacts', valid: () => ({}) },
  { route: 'GET /api/companies', valid: () => ({}) },
  { route: 'GET /api/activities', needs: ['contact'], valid: (w) => ({ contactId: w.contactId }) },
  { route: 'GET /api/custom-fields', valid: () => ({}) },
  { route: 'GET /api/timeline', needs: ['contact'], valid: (w) => ({ contactId: w.contactId }) },
  { route: 'GET /api/duplicates/contacts', valid: () => ({ email: 'ann@example.com' }) },
  { route: 'GET /api/duplicates/companies', valid: () => ({ domain: 'acme.example' }) },
  { route: 'GET /api/contacts/count', valid: () => ({}) },
  { route: 'GET /api/companies/count', valid: () => ({}) },
  { route: 'GET /api/views', valid: () => ({ entity: 'contact' }) },
  { route: 'GET /api/products', valid: () => ({}) },
  { route: 'GET /api/products/count', valid: () => ({}) },
  { route: 'GET /api/orders', valid: () => ({}) },
  { route: 'GET /api/orders/count', valid: () => ({}) },
  { route: 'GET /api/segmentation/runs', valid: () => ({}) },
  { route: 'GET /api/segments', valid: () => ({ deleted: 'true' }) },
  { route: 'GET /api/segments/{id}/members', needs: ['segment'], path: (w) => `/api/segments/${w.segmentId}/members`, valid: () => ({}) },
  { route: 'GET /api/segments/{id}/changes', needs: ['segment'], path: (w) => `/api/segments/${w.segmentId}/changes`, valid: () => ({}) },
  { route: 'GET /api/analytics/revenue', valid: () => ({ from: '2026-01', to: '2026-06' }) },
  { route: 'GET /api/analytics/rfm-grid', valid: () => ({ from: '2026-01', to: '2026-06' }) },
  { route: 'GET /api/analytics/tiers', valid: () => ({ from: '2026-01', to: '2026-06' }) },
  { route: 'GET /api/analytics/at-risk', valid: () => ({ from: '2026-01', to: '2026-06' }) },
  { route: 'GET /api/analytics/products', valid: () => ({ from: '2026-01', to: '2026-06' }) },
  { route: 'GET /api/analytics/movements', valid: () => ({ from: '2026-01', to: '2026-06' }) },
  { route: 'GET /api/contacts/export', valid: () => ({}) },
  { route: 'GET /api/companies/export', valid: () => ({}) },
  { route: 'GET /api/products/export', valid: () => ({}) },
  { route: 'GET /api/orders/export', valid: () => ({}) },
  { route: 'GET /api/webhook-events', valid: () => ({ type: 'form', status: 'applied' }) },
  { route: 'GET /api/webhook-deliveries', needs: ['webhook subscription'], valid: (w) => ({ subscription: w.webhookSubscriptionId, status: 'pending', eventType: 'contact.created' }) },
];

const methodOf = (route: Route) => route.split(' ')[0]!;
const pathOf = (route: Route) => route.split(' ')[1]!;
const endpoint = (route: Route) => {
  const found = bodyEndpoints.find((e) => e.route === route);
  if (!found) throw new Error(`no body endpoint ${route}`);
  return found;
};
const list = (route: Route) => {
  const found = listEndpoints.find((e) => e.route === route);
  if (!found) throw new Error(`no list endpoint ${route}`);
  return found;
};

// ---------------------------------------------------------------------------
// Cases

type Request = { method: string; path: string; body?: unknown; raw?: string; headers?: Record<string, string> };
type Expect = {
  status: number | readonly number[];
  code?: string;
  // A zod issue the details must name: its path, and its code if given.
  issue?: { path: string; code?: string };
};
type Case = { name: string; as: As; needs?: Need[]; send: (w: World) => Request; expect: Expect };

const invalidRequest = (path?: string, code?: string): Expect => ({
  status: 400,
  code: 'invalid_request',
  ...(path === undefined ? {} : { issue: { path, ...(code ? { code } : {}) } }),
});
const invalidValue = (path: string): Expect => ({ status: 422, code: 'invalid', issue: { path } });

// The endpoint's valid body with some fields replaced (undefined removes one).
function withBody(route: Route, name: string, change: (w: World) => Json, expect: Expect, needs: Need[] = []): Case {
  const e = endpoint(route);
  return {
    name: `${route} ${name}`,
    as: e.as,
    needs: [...(e.needs ?? []), ...needs],
    send: (w) => ({ method: methodOf(route), path: e.path?.(w) ?? pathOf(route), body: { ...e.valid(w), ...change(w) } }),
    expect,
  };
}
// The endpoint with a raw body in place of its valid one.
function withRawBody(route: Route, name: string, raw: string, expect: Expect): Case {
  const e = endpoint(route);
  return { name: `${route} ${name}`, as: e.as, needs: e.needs, send: (w) => ({ method: methodOf(route), path: e.path?.(w) ?? pathOf(route), raw }), expect };
}
// A query string; a parameter given as an array is repeated (?tag=a&tag=b).
function queryString(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  return search.toString();
}
// The list's valid query with some parameters replaced.
function withQuery(route: Route, name: string, change: (w: World) => Record<string, string | string[]>, expect: Expect, needs: Need[] = []): Case {
  return {
    name: `${route} ${name}`,
    as: 'owner',
    needs: [...(list(route).needs ?? []), ...needs],
    send: (w) => ({ method: 'GET', path: `${list(route).path?.(w) ?? pathOf(route)}?${queryString({ ...list(route).valid(w), ...change(w) })}` }),
    expect,
  };
}

// Puts a value at a field path as the OpenAPI document writes it:
// `emails[].address` is emails[0].address (the element otherwise valid),
// `customFields.*` a custom value under the key `note`.
const ELEMENTS: Json = {
  emails: { address: 'ann@example.com' },
  phones: { number: '555 0100' },
  cf: { key: 'tier', op: 'in', value: ['gold'] },
  exchangeRates: { currency: 'EUR', rate: 1.1 },
  children: { type: 'condition', field: 'orders.totalSpent', operator: 'gte', value: { amount: 1, currency: 'USD' } },
  value: { amount: 1, currency: 'USD' },
};
function put(body: Json, field: string, value: unknown): { body: Json; path: string } {
  const keys = field.replace(/\[\]/g, '.0').replace(/\*/g, 'note').split('.');
  const root: any = structuredClone(body);
  let node = root;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else {
      node[key] = keys[i + 1] === '0' ? [structuredClone(ELEMENTS[key] ?? {})] : { ...(node[key] ?? {}) };
      node = node[key];
    }
  });
  return { body: root, path: keys.join('.') };
}

const longEmail = (length: number) => `${'a'.repeat(length - '@example.com'.length)}@example.com`;
const many = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));

// Just over each documented maximum: one string longer, one item more, one
// unit bigger. The keyword (maxLength, maxItems, maximum) follows from the
// value, and the last describe block checks these cover the document.
type Over = [field: string, value: string | number | unknown[]];
const keywordOf = (value: Over[1]): LimitKeyword =>
  typeof value === 'string' ? 'maxLength' : Array.isArray(value) ? 'maxItems' : 'maximum';

const customValueLimits: Over[] = [
  ['customFields.*', 'x'.repeat(5001)],
  ['customFields.*', many(101, (i) => `option ${i}`)],
  ['customFields.*[]', 'x'.repeat(201)],
];
const addressLimits: Over[] = [
  ['address.street', 'x'.repeat(201)],
  ['address.city', 'x'.repeat(101)],
  ['address.region', 'x'.repeat(101)],
  ['address.postalCode', '1'.repeat(21)],
  ['address.country', 'x'.repeat(101)],
];
const contactLimits: Over[] = [
  ['firstName', 'x'.repeat(101)],
  ['lastName', 'x'.repeat(101)],
  ['emails', many(21, (i) => ({ address: `ann${i}@example.com` }))],
  ['emails[].address', longEmail(255)],
  ['emails[].label', 'x'.repeat(41)],
  ['phones', many(21, (i) => ({ number: `555 01${String(i).padStart(2, '0')}` }))],
  ['phones[].number', '1'.repeat(41)],
  ['phones[].label', 'x'.repeat(41)],
  ...addressLimits,
  ['jobTitle', 'x'.repeat(151)],
  ['companyId', `com_${'0'.repeat(61)}`],
  ['ownerId', `usr_${'0'.repeat(61)}`],
  ['leadSource', 'x'.repeat(101)],
  ['tags', many(51, (i) => `tag ${i}`)],
  ['tags[]', 'x'.repeat(51)],
  ['emailConsentMethod', 'x'.repeat(201)],
  ['softData.interests', many(51, (i) => `interest ${i}`)],
  ['softData.interests[]', 'x'.repeat(101)],
  ['softData.preferences', 'x'.repeat(2001)],
  ['softData.family', 'x'.repeat(2001)],
  ['softData.notes', 'x'.repeat(10_001)],
  ...customValueLimits,
];
const companyLimits: Over[] = [
  ['name', 'x'.repeat(201)],
  ['domain', `${'a'.repeat(250)}.com`],
  ['website', `https://example.com/${'a'.repeat(481)}`],
  ['industry', 'x'.repeat(101)],
  ['employees', 10_000_001],
  ['phone', '1'.repeat(41)],
  ...addressLimits,
  ['description', 'x'.repeat(10_001)],
  ['ownerId', `usr_${'0'.repeat(61)}`],
  ['tags', many(51, (i) => `tag ${i}`)],
  ['tags[]', 'x'.repeat(51)],
  ...customValueLimits,
];
const optionLimits: Over[] = [
  ['label', 'x'.repeat(101)],
  ['options', many(201, (i) => `option ${i}`)],
  ['options[]', 'x'.repeat(201)],
];
// A list's filters, in a query string: an array is sent as a repeated
// parameter, and `tag[]` is one value of a repeated one.
const filterQueryLimits: Over[] = [
  ['q', 'x'.repeat(201)],
  ['ownerId', 'x'.repeat(65)],
  ['tag', many(21, (i) => `tag ${i}`)],
  ['tag[]', 'x'.repeat(51)],
  ['cf', many(11, (i) => `tier:eq:"gold ${i}"`)],
  ['cf[]', `tier:eq:"${'x'.repeat(2000)}"`],
];
const contactFilterQueryLimits: Over[] = [
  ...filterQueryLimits,
  ['segment', many(12, () => 'lost')],
  ['tier', many(5, () => 'vip')],
  ['r', 6],
  ['fm', 6],

  ['lifecycleStage', many(9, () => 'lead')],
  ['companyId', 'x'.repeat(65)],
  ['leadSource', 'x'.repeat(101)],
];
const companyFilterQueryLimits: Over[] = [...filterQueryLimits, ['industry', 'x'.repeat(101)]];
// The same filters as JSON (a bulk selection, a saved view).
const filterLimits: Over[] = [
  ['q', 'x'.repeat(201)],
  ['ownerId', `usr_${'0'.repeat(61)}`],
  ['tag', many(21, (i) => `tag ${i}`)],
  ['tag[]', 'x'.repeat(51)],
  ['cf', many(11, (i) => ({ key: 'tier', op: 'eq', value: `gold ${i}` }))],
  ['cf[].key', 'x'.repeat(65)],
  ['cf[].value', 'x'.repeat(201)],
  ['cf[].value', many(51, (i) => `option ${i}`)],
  ['cf[].value[]', 'x'.repeat(201)],
];
const contactFilterLimits: Over[] = [
  ...filterLimits,
  ['segment', many(12, () => 'lost')],
  ['tier', many(5, () => 'vip')],
  ['r', 6],
  ['fm', 6],

  ['lifecycleStage', many(9, () => 'lead')],
  ['companyId', `com_${'0'.repeat(61)}`],
  ['leadSource', 'x'.repeat(101)],
];
const companyFilterLimits: Over[] = [...filterLimits, ['industry', 'x'.repeat(101)]];
const ids = (prefix: string): Over[] => [
  ['ids', many(1001, (i) => `${prefix}_${String(i).padStart(26, '0')}`)],
  ['ids[]', `${prefix}_${'0'.repeat(61)}`],
];
const prefixed = (at: string, overs: Over[]): Over[] => overs.map(([field, value]) => [`${at}.${field}`, value]);
const selectionLimits = (prefix: string, filter: Over[]): Over[] => [
  ...prefixed('selection', ids(prefix)),
  ...prefixed('selection.filter', filter),
  ...prefixed('selection', ids(prefix).map(([field, value]) => [field.replace('ids', 'except'), value] as Over)),
];
const actionLimits: Over[] = [
  ['action.tags', many(21, (i) => `tag ${i}`)],
  ['action.tags[]', 'x'.repeat(51)],
  ['action.ownerId', `usr_${'0'.repeat(61)}`],
];
const viewStateLimits = (filter: Over[]): Over[] => [
  ...prefixed('state.filters', filter),
  ['state.columns', many(41, (i) => `field${i}`)],
  ['state.columns[]', `f${'x'.repeat(80)}`],
];
const productLimits: Over[] = [
  ['sku', 'x'.repeat(65)],
  ['name', 'x'.repeat(201)],
  ['category', 'x'.repeat(101)],
  ['description', 'x'.repeat(10_001)],
  ['price', 1e13 + 1],
  ['tags', many(51, (i) => `tag ${i}`)],
  ['tags[]', 'x'.repeat(51)],
];
const lineLimits: Over[] = [
  ['lines', many(501, () => ({ name: 'Tea', quantity: 1, unitPrice: 1 }))],
  ['lines[].sku', 'x'.repeat(65)],
  ['lines[].name', 'x'.repeat(201)],
  ['lines[].quantity', 1_000_001],
  ['lines[].unitPrice', 1e13 + 1],
  ['lines[].productId', `prd_${'0'.repeat(61)}`],
];
const orderLimits: Over[] = [
  ...lineLimits,
  ['externalId', 'x'.repeat(101)],
  ['note', 'x'.repeat(2001)],
  ['discount', 1e13 + 1],
  ['shipping', 1e13 + 1],
  ['tax', 1e13 + 1],
  ['total', 1e13 + 1],
  ['refunded', 1e13 + 1],
  ['contactId', `con_${'0'.repeat(61)}`],
];
const customerLimits: Over[] = [
  ['customer.email', longEmail(255)],
  ['customer.firstName', 'x'.repeat(101)],
  ['customer.lastName', 'x'.repeat(101)],
];
const orderQueryLimits: Over[] = [
  ['q', 'x'.repeat(101)],
  ['status', many(6, () => 'paid')],
  ['contactId', `con_${'0'.repeat(61)}`],
];
const productQueryLimits: Over[] = [
  ['q', 'x'.repeat(201)],
  ['category', many(21, (i) => `c${i}`)],
  ['category[]', 'x'.repeat(101)],
];
// The filters of the other lists a view may hold, beyond the contacts'.
const otherListFilterLimits: Over[] = [
  ['state.filters.industry', 'x'.repeat(101)],
  ['state.filters.category', many(21, (i) => `c${i}`)],
  ['state.filters.category[]', 'x'.repeat(101)],
  ['state.filters.status', many(6, () => 'paid')],
  ['state.filters.contactId', `con_${'0'.repeat(61)}`],
];
const listLimits: Over[] = [
  ['cursor', 'x'.repeat(501)],
  ['limit', 201],
];
// A definition's limits are the same at every depth of its groups.
const definitionLimits: Over[] = [
  ['definition.children', many(51, () => ({ type: 'condition', field: 'contact.tags', operator: 'is_set' }))],
  ['definition.children[].field', 'x'.repeat(101)],
  ['definition.children[].value', 'x'.repeat(201)],
  ['definition.children[].value', many(51, (i) => `tag ${i}`)],
  ['definition.children[].value[]', 'x'.repeat(201)],
  ['definition.children[].value.amount', 1e15 + 1],
  ['definition.children[].value[].amount', 1e15 + 1],
  ['definition.children[].days', 36_501],
];
const subscriptionLimits: Over[] = [
  ['url', `https://hooks.example.com/${'a'.repeat(1980)}`],
  ['description', 'x'.repeat(501)],
  ['eventTypes', Array.from({ length: 10 }, () => 'contact.created')],
];
const sourceLimits: Over[] = [
  ['name', 'x'.repeat(101)],
  ['hmac.header', 'x'.repeat(101)],
  ['hmac.prefix', 'x'.repeat(21)],
  ...FORM_FIELDS.map((field): Over => [`mapping.${field}`, 'x'.repeat(201)]),
];
const segmentLimits: Over[] = [['name', 'x'.repeat(121)], ['description', 'x'.repeat(1001)], ...definitionLimits];
const exportColumnLimits: Over[] = [
  ['columns', many(41, (i) => `field${i}`)],
  ['columns[]', `f${'x'.repeat(80)}`],
];
const limits: Record<Route, Over[]> = {
  'POST /api/auth/sign-up': [
    ['email', longEmail(255)],
    ['password', 'x'.repeat(257)],
    ['name', 'x'.repeat(121)],
    ['workspaceName', 'x'.repeat(121)],
    ['invitationToken', 'x'.repeat(101)],
  ],
  'POST /api/auth/sign-in': [
    ['email', longEmail(255)],
    ['password', 'x'.repeat(257)],
  ],
  'POST /api/auth/switch-workspace': [['workspaceId', `ws_${'0'.repeat(62)}`]],
  'PATCH /api/auth/account': [['name', 'x'.repeat(121)]],
  'POST /api/auth/password': [
    ['currentPassword', 'x'.repeat(257)],
    ['newPassword', 'x'.repeat(257)],
  ],
  'POST /api/contacts': contactLimits,
  'PATCH /api/contacts/{id}': contactLimits,
  'POST /api/companies': companyLimits,
  'PATCH /api/companies/{id}': companyLimits,
  'POST /api/activities': [
    ['subject', 'x'.repeat(201)],
    ['body', 'x'.repeat(20_001)],
    ['contactId', `con_${'0'.repeat(61)}`],
    ['companyId', `com_${'0'.repeat(61)}`],
  ],
  'POST /api/custom-fields': optionLimits,
  'PATCH /api/custom-fields/{id}': optionLimits,
  'POST /api/invitations': [['email', longEmail(255)]],
  'POST /api/invitations/lookup': [['token', 'x'.repeat(101)]],
  'POST /api/invitations/accept': [['token', 'x'.repeat(101)]],
  'POST /api/api-keys': [['name', 'x'.repeat(101)]],
  'PATCH /api/workspace': [['name', 'x'.repeat(121)]],
  'GET /api/contacts': [...contactFilterQueryLimits, ...listLimits],
  'GET /api/companies': [...companyFilterQueryLimits, ...listLimits],
  'GET /api/contacts/count': contactFilterQueryLimits,
  'GET /api/companies/count': companyFilterQueryLimits,
  'POST /api/contacts/bulk': [...selectionLimits('con', contactFilterLimits), ...actionLimits],
  'POST /api/companies/bulk': [...selectionLimits('com', companyFilterLimits), ...actionLimits],
  'POST /api/views': [['name', 'x'.repeat(81)], ...viewStateLimits(contactFilterLimits), ...otherListFilterLimits],
  'PATCH /api/views/{id}': [['name', 'x'.repeat(81)], ...viewStateLimits(contactFilterLimits), ...otherListFilterLimits],
  'GET /api/activities': [['contactId', 'x'.repeat(65)], ['companyId', 'x'.repeat(65)], ...listLimits],
  'PATCH /api/activities/{id}': [
    ['subject', 'x'.repeat(201)],
    ['body', 'x'.repeat(20_001)],
  ],
  'GET /api/timeline': [['contactId', 'x'.repeat(65)], ['companyId', 'x'.repeat(65)], ['kinds', 'activity,'.repeat(12)], ...listLimits],
  'POST /api/products': productLimits,
  'PATCH /api/products/{id}': productLimits,
  'GET /api/products': [...productQueryLimits, ...listLimits],
  'GET /api/products/count': productQueryLimits,
  'POST /api/products/bulk': [...selectionLimits('prd', productQueryLimits)],
  'POST /api/orders': [...orderLimits, ...customerLimits],
  'PATCH /api/orders/{id}': orderLimits,
  'GET /api/orders': [...orderQueryLimits, ...listLimits],
  'GET /api/orders/count': orderQueryLimits,
  'POST /api/orders/bulk': [...selectionLimits('ord', orderQueryLimits)],
  'POST /api/orders/batch': [['orders', many(201, (i) => anOrder({ externalId: `x${i}`, customer: { email: 'a@example.com' } }))], ...prefixed('orders[]', [...orderLimits, ...customerLimits])],
  'GET /api/duplicates/contacts': [['email', longEmail(255)]],
  'GET /api/contacts/export': [...contactFilterQueryLimits, ...exportColumnLimits],
  'GET /api/companies/export': [...companyFilterQueryLimits, ...exportColumnLimits],
  'GET /api/products/export': [...productQueryLimits, ...exportColumnLimits],
  'GET /api/orders/export': [...orderQueryLimits, ...exportColumnLimits],
  'POST /api/imports': [['filename', 'x'.repeat(201)]],
  'POST /api/webhook-sources': [['secret', 'x'.repeat(2001)], ...sourceLimits],
  'PATCH /api/webhook-sources/{id}': sourceLimits,
  'GET /api/webhook-events': [['source', `whs_${'0'.repeat(61)}`], ...listLimits],
  'POST /api/webhook-events/replay': [['ids', Array.from({ length: 101 }, () => 'whe_01KXBCCH0Q0YNJHRX8XWNAYB1G')], ['ids[]', `whe_${'0'.repeat(61)}`]],
  'POST /api/webhook-sources/{id}/rotate-secret': [['secret', 'x'.repeat(2001)], ['graceHours', 169]],
  'POST /api/webhook-subscriptions': subscriptionLimits,
  'PATCH /api/webhook-subscriptions/{id}': subscriptionLimits,
  'POST /api/webhook-subscriptions/{id}/rotate-secret': [['graceHours', 169]],
  'GET /api/webhook-deliveries': [['subscription', `wsub_${'0'.repeat(60)}`], ...listLimits],
  'POST /api/webhook-deliveries/redeliver': [['ids', Array.from({ length: 101 }, () => 'whd_01KXBCCH0Q0YNJHRX8XWNAYB1G')], ['ids[]', `whd_${'0'.repeat(61)}`]],
  'POST /api/imports/{id}/start': [
    ['mapping', many(201, () => null)],
    ['mapping[]', `f${'x'.repeat(64)}`],
  ],
  'GET /api/duplicates/companies': [['domain', `${'a'.repeat(250)}.com`], ['website', `https://example.com/${'a'.repeat(481)}`]],
  'PATCH /api/segmentation/settings': [
    ['windowDays', 3651],
    ['exchangeRates', many(201, () => ({ currency: 'EUR', rate: 1 }))],
    ['exchangeRates[].rate', 1e9 + 1],
  ],
  'GET /api/segmentation/runs': [['limit', 101]],
  'POST /api/segments': segmentLimits,
  'PATCH /api/segments/{id}': segmentLimits,
  'POST /api/segments/preview': definitionLimits,
  'GET /api/segments/{id}/members': listLimits,
  'GET /api/segments/{id}/changes': listLimits,
  'GET /api/analytics/at-risk': listLimits,
  'GET /api/analytics/products': [['limit', 51]],
};

// The valid body a limit is tried on, where the default one lacks its
// part: a bulk selection by filter rather than by ids, a view of companies.
function baseFor(route: Route, field: string, valid: Json): Json {
  if (/^selection\.(filter|except)/.test(field)) return { ...valid, selection: { filter: {} } };
  if (route === 'POST /api/views') {
    const entity = { industry: 'company', category: 'product', status: 'order', contactId: 'order' }[field.replace(/^state\.filters\.|\[\]$/g, '')];
    if (entity) return { entity, name: 'Accounts', state: { filters: {} } };
  }
  if (field === 'action.ownerId') return { ...valid, action: { type: 'setOwner', ownerId: null } };
  return valid;
}

const describeValue = (value: Over[1]) =>
  typeof value === 'string' ? `${value.length} characters` : Array.isArray(value) ? `${value.length} items` : String(value);

const oversize: Case[] = Object.entries(limits).flatMap(([route, overs]) =>
  overs.map(([field, value]): Case => {
    const r = route as Route;
    const name = `${field} of ${describeValue(value)} (${keywordOf(value)} + 1)`;
    if (methodOf(r) === 'GET') {
      // A list parameter is repeated; `tag[]` is one value too long.
      const key = field.replace(/\[\]$/, '');
      const sent = Array.isArray(value) ? value.map(String) : String(value);
      return withQuery(r, name, () => ({ [key]: sent }), invalidRequest(field.endsWith('[]') ? `${key}.0` : key, 'too_big'));
    }
    const e = endpoint(r);
    // A custom value is a union of types; zod may name the union, not the bound.
    const code = field.startsWith('customFields.') || field.includes('cf[].value') || field.startsWith('definition.children[].value') ? undefined : 'too_big';
    return {
      name: `${r} ${name}`,
      as: e.as,
      needs: e.needs,
      send: (w) => ({ method: methodOf(r), path: e.path?.(w) ?? pathOf(r), body: put(baseFor(r, field, e.valid(w)), field, value).body }),
      expect: invalidRequest(put({}, field, value).path, code),
    };
  }),
);

// Path ids: the prefix each route expects, and the ways to get it wrong.
const idRoutes: { route: Route; prefix: string }[] = [
  ...(['contacts', 'companies', 'products', 'orders'] as const).flatMap((area) => {
    const prefix = { contacts: 'con', companies: 'com', products: 'prd', orders: 'ord' }[area];
    return [
      { route: `GET /api/${area}/{id}` as Route, prefix },
      { route: `PATCH /api/${area}/{id}` as Route, prefix },
      { route: `DELETE /api/${area}/{id}` as Route, prefix },
      { route: `POST /api/${area}/{id}/restore` as Route, prefix },
      { route: `POST /api/${area}/{id}/purge` as Route, prefix },
    ];
  }),
  { route: 'PATCH /api/activities/{id}', prefix: 'act' },
  { route: 'DELETE /api/activities/{id}', prefix: 'act' },
  { route: 'PATCH /api/custom-fields/{id}', prefix: 'cf' },
  { route: 'DELETE /api/custom-fields/{id}', prefix: 'cf' },
  { route: 'DELETE /api/invitations/{id}', prefix: 'inv' },
  { route: 'DELETE /api/api-keys/{id}', prefix: 'key' },
  { route: 'PATCH /api/members/{userId}', prefix: 'usr' },
  { route: 'DELETE /api/members/{userId}', prefix: 'usr' },
  { route: 'PATCH /api/views/{id}', prefix: 'view' },
  { route: 'DELETE /api/views/{id}', prefix: 'view' },
  { route: 'GET /api/bulk-operations/{id}', prefix: 'bulk' },
  { route: 'POST /api/bulk-operations/{id}/undo', prefix: 'bulk' },
  { route: 'GET /api/segmentation/runs/{id}', prefix: 'run' },
  { route: 'GET /api/contacts/{id}/insights', prefix: 'con' },
  { route: 'GET /api/webhook-events/{id}', prefix: 'whe' },
  { route: 'GET /api/webhook-deliveries/{id}', prefix: 'whd' },
  ...(['GET', 'PATCH', 'DELETE'].map((m) => `${m} /api/webhook-subscriptions/{id}`) as Route[]).map((route) => ({ route, prefix: 'wsub' })),
  ...(['enable', 'rotate-secret', 'test'].map((a) => `POST /api/webhook-subscriptions/{id}/${a}`) as Route[]).map((route) => ({ route, prefix: 'wsub' })),
  ...(['GET /api/webhook-sources/{id}', 'PATCH /api/webhook-sources/{id}', 'DELETE /api/webhook-sources/{id}', 'POST /api/webhook-sources/{id}/rotate-secret'] as const).map((route) => ({ route, prefix: 'whs' })),
  ...(['GET /api/segments/{id}', 'PATCH /api/segments/{id}', 'DELETE /api/segments/{id}', 'POST /api/segments/{id}/refresh', 'POST /api/segments/{id}/restore', 'GET /api/segments/{id}/members', 'GET /api/segments/{id}/changes'] as const).map((route) => ({ route, prefix: 'seg' })),
  { route: 'GET /api/imports/{id}', prefix: 'imp' },
  { route: 'PUT /api/imports/{id}/file', prefix: 'imp' },
  { route: 'POST /api/imports/{id}/start', prefix: 'imp' },
  { route: 'POST /api/imports/{id}/undo', prefix: 'imp' },
  { route: 'GET /api/imports/{id}/rejects', prefix: 'imp' },
];
const badIds = (prefix: string): [string, string][] => [
  ['an id with the wrong prefix', `${prefix === 'con' ? 'com' : 'con'}_${A_ULID}`],
  ['an id over 64 characters', `${prefix}_${A_ULID.repeat(3)}`],
  ['SQL in place of an id', `${prefix}_' OR '1'='1'; DROP TABLE contacts; --`],
];
const pathIdCases: Case[] = idRoutes.flatMap(({ route, prefix }) => {
  const param = pathOf(route).includes('{userId}') ? 'userId' : 'id';
  const body = bodyEndpoints.find((e) => e.route === route);
  const at = (id: string) => pathOf(route).replace(`{${param}}`, encodeURIComponent(id));
  return [
    ...badIds(prefix).map(([name, id]): Case => ({
      name: `${route} with ${name}`,
      as: 'owner',
      needs: body?.needs,
      send: (w) => ({ method: methodOf(route), path: at(id), body: body?.valid(w) }),
      expect: invalidRequest(param, 'invalid_format'),
    })),
    {
      name: `${route} with a well-formed id nobody issued`,
      as: 'owner',
      needs: body?.needs,
      send: (w) => ({ method: methodOf(route), path: at(`${prefix}_${A_ULID}`), body: body?.valid(w) }),
      expect: { status: 404, code: 'not_found' },
    },
  ];
});

const groups: Record<string, Case[]> = {
  'bodies that are not a JSON object': bodyEndpoints.flatMap(({ route }) => [
    withRawBody(route, 'with malformed JSON', '{"a":', { status: 400, code: 'malformed_request' }),
    withRawBody(route, 'with an empty body', '', { status: 400, code: 'malformed_request' }),
    withRawBody(route, 'with a JSON array', '[]', invalidRequest('', 'invalid_type')),
    withRawBody(route, 'with JSON null', 'null', invalidRequest('', 'invalid_type')),
    withRawBody(route, 'with a JSON string', '"hello"', invalidRequest('', 'invalid_type')),
  ]),

  'fields the schema does not know (schemas are strict)': [
    ...bodyEndpoints.map(({ route }) => withBody(route, 'with an unknown field', () => ({ isAdmin: true }), invalidRequest('', 'unrecognized_keys'))),
    withRawBody('POST /api/auth/sign-up', 'with a __proto__ field', '{"__proto__":{"isAdmin":true}}', invalidRequest('', 'unrecognized_keys')),
    withRawBody('PATCH /api/members/{userId}', 'with a __proto__ field', '{"role":"owner","__proto__":{"role":"owner"}}', invalidRequest('', 'unrecognized_keys')),
    withBody('POST /api/contacts', 'with an unknown field in an email', () => ({ emails: [{ address: 'ann@example.com', primary: true }] }), invalidRequest('emails.0', 'unrecognized_keys')),
    withBody('POST /api/contacts', 'with an unknown field in a phone', () => ({ phones: [{ number: '555 0100', mobile: true }] }), invalidRequest('phones.0', 'unrecognized_keys')),
    withBody('POST /api/contacts', 'with an unknown field in the address', () => ({ address: { city: 'Oslo', planet: 'Earth' } }), invalidRequest('address', 'unrecognized_keys')),
    withBody('PATCH /api/contacts/{id}', 'with an unknown field in softData', () => ({ softData: { horoscope: 'Leo' } }), invalidRequest('softData', 'unrecognized_keys')),
    withBody('PATCH /api/contacts/{id}', 'trying to set a server-owned field (workspaceId)', () => ({ workspaceId: 'ws_other' }), invalidRequest('', 'unrecognized_keys')),
    withBody('PATCH /api/companies/{id}', 'trying to set a server-owned field (deletedAt)', () => ({ deletedAt: null }), invalidRequest('', 'unrecognized_keys')),
    withBody('PATCH /api/custom-fields/{id}', 'trying to change the type', () => ({ type: 'text' }), invalidRequest('', 'unrecognized_keys')),
    withQuery('GET /api/contacts', 'with an unknown parameter', () => ({ workspaceId: 'ws_other' }), invalidRequest('', 'unrecognized_keys')),
    withQuery('GET /api/companies', 'with an unknown parameter', () => ({ page: '2' }), invalidRequest('', 'unrecognized_keys')),
    withQuery('GET /api/activities', 'with an unknown parameter', () => ({ type: 'note' }), invalidRequest('', 'unrecognized_keys')),
    withQuery('GET /api/custom-fields', 'with an unknown parameter', () => ({ key: 'tier' }), invalidRequest('', 'unrecognized_keys')),
    withQuery('GET /api/timeline', 'with an unknown parameter', () => ({ type: 'note' }), invalidRequest('', 'unrecognized_keys')),
    withQuery('GET /api/duplicates/contacts', 'with an unknown parameter', () => ({ name: 'Ada' }), invalidRequest('', 'unrecognized_keys')),
    withQuery('GET /api/duplicates/companies', 'with an unknown parameter', () => ({ name: 'Acme' }), invalidRequest('', 'unrecognized_keys')),
    withBody('PATCH /api/activities/{id}', 'trying to move it to another record (contactId)', () => ({ contactId: `con_${A_ULID}` }), invalidRequest('', 'unrecognized_keys')),
  ],

  'missing required fields': [
    withBody('POST /api/auth/sign-up', 'without a password', () => ({ password: undefined }), invalidRequest('password')),
    withBody('POST /api/auth/sign-up', 'with neither a workspace name nor an invitation token', () => ({ workspaceName: undefined }), invalidRequest('workspaceName')),
    withBody('POST /api/auth/sign-up', 'with both a workspace name and an invitation token', (w) => ({ invitationToken: w.invitationToken }), invalidRequest('workspaceName'), ['invitation']),
    withBody('POST /api/auth/sign-in', 'without an email', () => ({ email: undefined }), invalidRequest('email')),
    withBody('POST /api/auth/switch-workspace', 'without a workspaceId', () => ({ workspaceId: undefined }), invalidRequest('workspaceId')),
    withBody('PATCH /api/auth/account', 'with a blank name', () => ({ name: '   ' }), invalidRequest('name')),
    withBody('POST /api/auth/password', 'without the current password', () => ({ currentPassword: undefined }), invalidRequest('currentPassword')),
    withBody('POST /api/auth/password', 'with an empty current password', () => ({ currentPassword: '' }), invalidRequest('currentPassword', 'too_small')),
    withBody('POST /api/auth/password', 'without a new password', () => ({ newPassword: undefined }), invalidRequest('newPassword')),
    withBody('POST /api/contacts', 'with no name and no email', () => ({ firstName: undefined, lastName: undefined, emails: undefined }), invalidRequest('firstName')),
    withBody('POST /api/contacts', 'with blank names and an empty email list', () => ({ firstName: '  ', lastName: '', emails: [] }), invalidRequest('firstName')),
    withBody('POST /api/contacts', 'with an email entry without an address', () => ({ emails: [{ label: 'work' }] }), invalidRequest('emails.0.address')),
    withBody('POST /api/contacts', 'with a phone entry without a number', () => ({ phones: [{ label: 'mobile' }] }), invalidRequest('phones.0.number')),
    withBody('POST /api/companies', 'without a name', () => ({ name: undefined }), invalidRequest('name')),
    withBody('POST /api/companies', 'with a blank name', () => ({ name: '   ' }), invalidRequest('name')),
    withBody('PATCH /api/companies/{id}', 'with a blank name', () => ({ name: ' ' }), invalidRequest('name')),
    withBody('POST /api/activities', 'without a body', () => ({ body: undefined }), invalidRequest('body')),
    withBody('POST /api/activities', 'with a blank body', () => ({ body: '  ' }), invalidRequest('body')),
    withBody('POST /api/activities', 'with neither a contact nor a company', () => ({ contactId: undefined }), invalidRequest('contactId')),
    withBody('POST /api/activities', 'with both a contact and a company', (w) => ({ companyId: w.companyId }), invalidRequest('contactId'), ['company']),
    withBody('POST /api/custom-fields', 'without a type', () => ({ type: undefined }), invalidRequest('type')),
    withBody('POST /api/custom-fields', 'without a key', () => ({ key: undefined }), invalidRequest('key')),
    withBody('POST /api/custom-fields', 'for a select field without options', () => ({ type: 'select' }), { status: 422, code: 'invalid', issue: { path: 'options' } }),
    withBody('PATCH /api/custom-fields/{id}', 'with a blank label', () => ({ label: ' ' }), invalidRequest('label')),
    withBody('PATCH /api/members/{userId}', 'without a role', () => ({ role: undefined }), invalidRequest('role')),
    withBody('POST /api/invitations', 'without a role', () => ({ role: undefined }), invalidRequest('role')),
    withBody('POST /api/invitations/lookup', 'without a token', () => ({ token: undefined }), invalidRequest('token')),
    withBody('POST /api/invitations/accept', 'without a token', () => ({ token: undefined }), invalidRequest('token')),
    withBody('POST /api/api-keys', 'without a scope', () => ({ scope: undefined }), invalidRequest('scope')),
    withBody('POST /api/api-keys', 'with a blank name', () => ({ name: '  ' }), invalidRequest('name')),
    withBody('PATCH /api/workspace', 'with a blank name', () => ({ name: '  ' }), invalidRequest('name')),
    withQuery('GET /api/activities', 'with neither contactId nor companyId', () => ({ contactId: '' }), invalidRequest('contactId')),
    withBody('PATCH /api/activities/{id}', 'with a blank body', () => ({ body: '   ' }), invalidRequest('body')),
    withQuery('GET /api/timeline', 'with neither contactId nor companyId', () => ({ contactId: '' }), invalidRequest('contactId')),
    withQuery('GET /api/timeline', 'with both contactId and companyId', (w) => ({ companyId: w.companyId }), invalidRequest('contactId'), ['company']),
    withQuery('GET /api/duplicates/contacts', 'without an email', () => ({ email: '' }), invalidRequest('email')),
    withQuery('GET /api/duplicates/companies', 'with neither a domain nor a website', () => ({ domain: '' }), invalidRequest('domain')),
    withQuery('GET /api/duplicates/companies', 'with both a domain and a website', () => ({ website: 'acme.example' }), invalidRequest('domain')),
    withQuery('GET /api/activities', 'with both contactId and companyId', (w) => ({ companyId: w.companyId }), invalidRequest('contactId'), ['company']),
  ],

  'wrong types': [
    withBody('POST /api/auth/sign-up', 'with a number for a password', () => ({ password: 12345678 }), invalidRequest('password', 'invalid_type')),
    withBody('POST /api/auth/sign-up', 'with an email without @', () => ({ email: 'grace.example.com' }), invalidRequest('email', 'invalid_format')),
    withBody('POST /api/auth/sign-in', 'with null for a password', () => ({ password: null }), invalidRequest('password', 'invalid_type')),
    withBody('POST /api/auth/sign-up', 'with a password under 12 characters', () => ({ password: 'eleven char' }), invalidRequest('password', 'too_small')),
    withBody('POST /api/auth/password', 'with a new password under 12 characters', () => ({ newPassword: 'short pass' }), invalidRequest('newPassword', 'too_small')),
    withBody('PATCH /api/auth/account', 'with a number for the name', () => ({ name: 7 }), invalidRequest('name', 'invalid_type')),
    withBody('POST /api/auth/password', 'with an array for the new password', () => ({ newPassword: ['lighthouse', 'pebble'] }), invalidRequest('newPassword', 'invalid_type')),
    withBody('POST /api/auth/switch-workspace', 'with a number for workspaceId', () => ({ workspaceId: 42 }), invalidRequest('workspaceId', 'invalid_type')),
    withBody('POST /api/contacts', 'with a number for firstName', () => ({ firstName: 42 }), invalidRequest('firstName', 'invalid_type')),
    withBody('POST /api/contacts', 'with a string for emails', () => ({ emails: 'ann@example.com' }), invalidRequest('emails', 'invalid_type')),
    withBody('POST /api/contacts', 'with an email address without @', () => ({ emails: [{ address: 'ann.example.com' }] }), invalidRequest('emails.0.address', 'invalid_format')),
    withBody('POST /api/contacts', 'with letters for a phone number', () => ({ phones: [{ number: 'call me maybe' }] }), invalidRequest('phones.0.number', 'invalid_format')),
    withBody('POST /api/contacts', 'with a string for tags', () => ({ tags: 'vip' }), invalidRequest('tags', 'invalid_type')),
    withBody('POST /api/contacts', 'with a blank tag', () => ({ tags: ['  '] }), invalidRequest('tags.0', 'too_small')),
    withBody('POST /api/contacts', 'with a string for the address', () => ({ address: '1 Main St' }), invalidRequest('address', 'invalid_type')),
    withBody('POST /api/contacts', 'with an array for customFields', () => ({ customFields: ['gold'] }), invalidRequest('customFields', 'invalid_type')),
    withBody('POST /api/contacts', 'with an object as a custom value', () => ({ customFields: { tier: { value: 'gold' } } }), invalidRequest('customFields.tier')),
    withBody('PATCH /api/contacts/{id}', 'with null for a first name', () => ({ firstName: null }), invalidRequest('firstName', 'invalid_type')),
    withBody('PATCH /api/contacts/{id}', 'with null for emails', () => ({ emails: null }), invalidRequest('emails', 'invalid_type')),
    withBody('PATCH /api/contacts/{id}', 'with a number for companyId', () => ({ companyId: 7 }), invalidRequest('companyId', 'invalid_type')),
    withBody('POST /api/companies', 'with a string for employees', () => ({ employees: '12' }), invalidRequest('employees', 'invalid_type')),
    withBody('POST /api/companies', 'with a fraction of an employee', () => ({ employees: 1.5 }), invalidRequest('employees', 'invalid_type')),
    withBody('POST /api/companies', 'with a negative employee count', () => ({ employees: -1 }), invalidRequest('employees', 'too_small')),
    withRawBody('POST /api/companies', 'with an employee count that overflows to Infinity', '{"name":"Acme","employees":1e400}', invalidRequest('employees')),
    withBody('POST /api/companies', 'with a website that is not a URL', () => ({ website: 'acme dot com' }), invalidRequest('website', 'invalid_format')),
    withBody('POST /api/companies', 'with a domain that is not a domain', () => ({ domain: 'https://acme.com/' }), invalidRequest('domain', 'invalid_format')),
    withBody('PATCH /api/companies/{id}', 'with an object for tags', () => ({ tags: { vip: true } }), invalidRequest('tags', 'invalid_type')),
    withBody('PATCH /api/companies/{id}', 'with null for customFields', () => ({ customFields: null }), invalidRequest('customFields', 'invalid_type')),
    withBody('POST /api/activities', 'with a number for the body', () => ({ body: 42 }), invalidRequest('body', 'invalid_type')),
    withBody('POST /api/activities', 'with occurredAt that is not a date-time', () => ({ occurredAt: 'yesterday' }), invalidRequest('occurredAt', 'invalid_format')),
    withBody('POST /api/activities', 'with occurredAt as epoch milliseconds', () => ({ occurredAt: 1_700_000_000_000 }), invalidRequest('occurredAt', 'invalid_type')),
    withBody('POST /api/activities', 'with a number for contactId', () => ({ contactId: 1 }), invalidRequest('contactId', 'invalid_type')),
    withBody('POST /api/custom-fields', 'with a key that is not lower_snake_case', () => ({ key: 'Shoe Size' }), invalidRequest('key', 'invalid_format')),
    withBody('POST /api/custom-fields', 'with a key of 65 characters', () => ({ key: `k${'x'.repeat(64)}` }), invalidRequest('key', 'invalid_format')),
    withBody('POST /api/custom-fields', 'with a key every object already has (constructor)', () => ({ key: 'constructor' }), invalidRequest('key')),
    withBody('POST /api/custom-fields', 'with the key __proto__', () => ({ key: '__proto__' }), invalidRequest('key')),
    withBody('POST /api/custom-fields', 'with options as a comma-separated string', () => ({ type: 'select', options: 'a,b' }), invalidRequest('options', 'invalid_type')),
    withBody('POST /api/custom-fields', 'with the same option twice', () => ({ type: 'select', options: ['a', 'a'] }), invalidRequest('options')),
    withBody('PATCH /api/custom-fields/{id}', 'with false for a label', () => ({ label: false }), invalidRequest('label', 'invalid_type')),
    withBody('PATCH /api/members/{userId}', 'with a number for the role', () => ({ role: 3 }), invalidRequest('role')),
    withBody('POST /api/invitations', 'with an email without @', () => ({ email: 'colleague' }), invalidRequest('email', 'invalid_format')),
    withBody('POST /api/invitations/lookup', 'with a number for the token', () => ({ token: 123 }), invalidRequest('token', 'invalid_type')),
    withBody('POST /api/invitations/accept', 'with a token that is too short to be one', () => ({ token: 'abc' }), invalidRequest('token', 'too_small')),
    withBody('POST /api/api-keys', 'with a number for the name', () => ({ name: 1 }), invalidRequest('name', 'invalid_type')),
    withBody('PATCH /api/workspace', 'with a number for the name', () => ({ name: 1 }), invalidRequest('name', 'invalid_type')),
    withQuery('GET /api/contacts', 'with limit=abc', () => ({ limit: 'abc' }), invalidRequest('limit')),
    withQuery('GET /api/contacts', 'with limit=0', () => ({ limit: '0' }), invalidRequest('limit', 'too_small')),
    withQuery('GET /api/companies', 'with limit=1.5', () => ({ limit: '1.5' }), invalidRequest('limit')),
    withQuery('GET /api/companies', 'with limit=-5', () => ({ limit: '-5' }), invalidRequest('limit', 'too_small')),
    withQuery('GET /api/timeline', 'with limit=0', () => ({ limit: '0' }), invalidRequest('limit', 'too_small')),
    withQuery('GET /api/analytics/revenue', 'with a day for a month', () => ({ from: '2026-01-01' }), invalidRequest('from', 'invalid_format')),
    withQuery('GET /api/analytics/tiers', 'with from after to', () => ({ from: '2026-07' }), invalidRequest('to')),
    withQuery('GET /api/analytics/rfm-grid', 'with from but an empty to', () => ({ to: '' }), invalidRequest('to')),
    withQuery('GET /api/analytics/at-risk', 'with a cursor of another list', () => ({ cursor: 'bm90IGEgY3Vyc29y' }), invalidRequest('cursor')),
    withQuery('GET /api/analytics/products', 'with limit=0', () => ({ limit: '0' }), invalidRequest('limit', 'too_small')),
    withQuery('GET /api/analytics/movements', 'with an unknown parameter', () => ({ runId: 'run_x' }), invalidRequest('', 'unrecognized_keys')),
    withQuery('GET /api/duplicates/contacts', 'with an email without @', () => ({ email: 'ann.example.com' }), invalidRequest('email', 'invalid_format')),
    withQuery('GET /api/duplicates/companies', 'with a URL for a domain', () => ({ domain: 'https://acme.example/' }), invalidRequest('domain', 'invalid_format')),
    withBody('PATCH /api/activities/{id}', 'with occurredAt that is not a date-time', () => ({ occurredAt: 'yesterday' }), invalidRequest('occurredAt', 'invalid_format')),
    withQuery('GET /api/activities', 'with limit= (empty)', () => ({ limit: '' }), invalidRequest('limit')),
    {
      name: 'GET /api/contacts with q given twice',
      as: 'owner',
      send: () => ({ method: 'GET', path: '/api/contacts?q=ada&q=grace' }),
      expect: invalidRequest('q', 'invalid_type'),
    },
  ],

  'values outside an enum': [
    withBody('POST /api/contacts', 'with an unknown lifecycleStage', () => ({ lifecycleStage: 'hot_lead' }), invalidRequest('lifecycleStage', 'invalid_value')),
    withBody('POST /api/contacts', 'with an unknown preferredChannel', () => ({ preferredChannel: 'carrier_pigeon' }), invalidRequest('preferredChannel', 'invalid_value')),
    withBody('PATCH /api/contacts/{id}', 'with an unknown emailConsent', () => ({ emailConsent: 'maybe' }), invalidRequest('emailConsent', 'invalid_value')),
    withBody('PATCH /api/contacts/{id}', 'with a lifecycleStage in the wrong case', () => ({ lifecycleStage: 'Customer' }), invalidRequest('lifecycleStage', 'invalid_value')),
    withBody('POST /api/activities', 'with an unknown type', () => ({ type: 'smoke_signal' }), invalidRequest('type', 'invalid_value')),
    withBody('PATCH /api/activities/{id}', 'with an unknown type', () => ({ type: 'smoke_signal' }), invalidRequest('type', 'invalid_value')),
    withQuery('GET /api/timeline', 'with a kind no source has', () => ({ kinds: 'activity,gossip' }), invalidRequest('kinds')),
    withQuery('GET /api/timeline', 'with an empty kind', () => ({ kinds: '' }), invalidRequest('kinds')),
    withBody('POST /api/custom-fields', 'with an unknown entity', () => ({ entity: 'deal' }), invalidRequest('entity', 'invalid_value')),
    withBody('POST /api/custom-fields', 'with an unknown type', () => ({ type: 'colour' }), invalidRequest('type', 'invalid_value')),
    withBody('POST /api/custom-fields', 'with a section no record page has', () => ({ section: 'footer' }), invalidRequest('section', 'invalid_value')),
    withBody('PATCH /api/members/{userId}', 'with an unknown role', () => ({ role: 'superuser' }), invalidRequest('role', 'invalid_value')),
    withBody('POST /api/invitations', 'with an unknown role', () => ({ role: 'god' }), invalidRequest('role', 'invalid_value')),
    withBody('POST /api/api-keys', 'with an unknown scope', () => ({ scope: 'admin' }), invalidRequest('scope', 'invalid_value')),
    withQuery('GET /api/contacts', 'with an unknown lifecycleStage', () => ({ lifecycleStage: 'hot_lead' }), invalidRequest('lifecycleStage.0', 'invalid_value')),
    withQuery('GET /api/contacts/count', 'with a known and an unknown lifecycleStage', () => ({ lifecycleStage: ['lead', 'hot_lead'] }), invalidRequest('lifecycleStage.1', 'invalid_value')),
    withQuery('GET /api/views', 'of an unknown list', () => ({ entity: 'deal' }), invalidRequest('entity', 'invalid_value')),
    withBody('POST /api/contacts/bulk', 'with an unknown action', () => ({ action: { type: 'merge' } }), invalidRequest('action.type')),
    withBody('POST /api/companies/bulk', 'setting a stage, which companies do not have', () => ({ action: { type: 'setStage', lifecycleStage: 'lead' } }), invalidRequest('action.type')),
    withBody('POST /api/views', 'of an unknown list', () => ({ entity: 'deal' }), invalidRequest('entity')),
    withBody('POST /api/views', 'with an unknown visibility', () => ({ visibility: 'public' }), invalidRequest('visibility', 'invalid_value')),
    withQuery('GET /api/contacts', 'with an unknown emailConsent', () => ({ emailConsent: 'maybe' }), invalidRequest('emailConsent', 'invalid_value')),
    withQuery('GET /api/contacts', 'with an unknown sort', () => ({ sort: 'email' }), invalidRequest('sort', 'invalid_value')),
    withQuery('GET /api/contacts', 'with deleted=yes', () => ({ deleted: 'yes' }), invalidRequest('deleted', 'invalid_value')),
    withQuery('GET /api/companies', 'with a sort the companies list does not have', () => ({ sort: 'updatedAt' }), invalidRequest('sort', 'invalid_value')),
    withQuery('GET /api/companies', 'with deleted=1', () => ({ deleted: '1' }), invalidRequest('deleted', 'invalid_value')),
    withQuery('GET /api/custom-fields', 'with an unknown entity', () => ({ entity: 'deal' }), invalidRequest('entity', 'invalid_value')),
  ],

  'selections, filters and views that are not what they say': [
    withBody('POST /api/contacts/bulk', 'naming both ids and a filter', (w) => ({ selection: { ids: [w.contactId], filter: {} } }), invalidRequest('selection.ids')),
    withBody('POST /api/contacts/bulk', 'naming neither ids nor a filter', () => ({ selection: {} }), invalidRequest('selection.ids')),
    withBody('POST /api/contacts/bulk', 'with except but no filter', (w) => ({ selection: { ids: [w.contactId], except: [w.contactId] } }), invalidRequest('selection.except')),
    withBody('POST /api/contacts/bulk', 'with an empty list of ids', () => ({ selection: { ids: [] } }), invalidRequest('selection.ids', 'too_small')),
    withBody('POST /api/contacts/bulk', "with a company's id", () => ({ selection: { ids: [`com_${A_ULID}`] } }), invalidRequest('selection.ids.0')),
    withBody('POST /api/contacts/bulk', 'adding tags that differ only in case', () => ({ action: { type: 'addTags', tags: ['VIP', 'vip'] } }), invalidRequest('action.tags')),
    withBody('POST /api/contacts/bulk', 'adding no tags', () => ({ action: { type: 'addTags', tags: [] } }), invalidRequest('action.tags', 'too_small')),
    withBody('POST /api/contacts/bulk', 'giving the records to someone outside the workspace', () => ({ action: { type: 'setOwner', ownerId: `usr_${A_ULID}` } }), invalidValue('action.ownerId')),
    withBody('POST /api/contacts/bulk', 'with a custom condition whose value does not fit its operator', () => ({ selection: { filter: { cf: [{ key: 'score', op: 'gte', value: true }] } } }), invalidRequest('selection.filter.cf.0.value')),
    withQuery('GET /api/contacts', 'with a custom condition that is not key:op:value', () => ({ cf: 'tier=gold' }), invalidRequest('cf.0')),
    withQuery('GET /api/contacts/count', 'with a custom condition of an unknown operator', () => ({ cf: 'score:between:[1,2]' }), invalidRequest('cf.0')),
    withQuery('GET /api/companies/count', 'with an owner that is neither a member id, me nor none', () => ({ ownerId: 'everyone' }), invalidRequest('ownerId')),
    withBody('POST /api/views', "with a company list's filter on a contact view", () => ({ state: { filters: { industry: 'Widgets' } } }), invalidRequest('state.filters')),
    withBody('POST /api/views', 'with a sort the list does not have', () => ({ entity: 'company', state: { filters: {}, sort: 'updatedAt' } }), invalidRequest('state.sort')),
    withBody('PATCH /api/views/{id}', "with a company list's filter on a contact view", () => ({ state: { filters: { industry: 'Widgets' } } }), invalidRequest('state.filters')),
    withBody('PATCH /api/views/{id}', 'with a column that is not a field key', () => ({ state: { filters: {}, columns: ['name; drop table'] } }), invalidRequest('state.columns.0')),
  ],

  'cursors that are not ours': [
    // A cursor is ours to decode: whatever else arrives is a malformed
    // request, refused by the list's query schema before any SQL runs.
    withQuery('GET /api/contacts', 'with a cursor that is not base64 JSON', () => ({ cursor: 'not-a-cursor!!' }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor for another sort (a number for sort=name)', () => ({ cursor: btoa(`[1700000000000,"con_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor for another sort (a name for sort=createdAt)', () => ({ sort: 'createdAt', cursor: btoa(`["ada","con_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor whose id is not a string', () => ({ cursor: btoa('["ada",42]') }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor whose id is not a contact id', () => ({ cursor: btoa('["ada","con_x"]') }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor whose position overflows to Infinity (1e999)', () => ({ sort: 'createdAt', cursor: btoa(`[1e999,"con_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor whose position is a fraction', () => ({ sort: '-updatedAt', cursor: btoa(`[1.5,"con_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'searching from a cursor whose position is past the largest safe integer', () => ({ q: 'ada', cursor: btoa(`[9007199254740993,"con_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor whose name is longer than any name', () => ({ cursor: btoa(`["${'a'.repeat(301)}","con_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor of three parts', () => ({ cursor: btoa(`["ada","con_${A_ULID}",1]`) }), invalidRequest('cursor')),
    withQuery('GET /api/contacts', 'with a cursor carrying SQL', () => ({ cursor: btoa(`["a') OR 1=1 --","con_${A_ULID}"]`) }), { status: 200 }),
    withQuery('GET /api/companies', 'with a cursor that is base64 of something else', () => ({ cursor: btoa('{"page":2}') }), invalidRequest('cursor')),
    withQuery('GET /api/companies', 'with a cursor for another sort', () => ({ sort: '-createdAt', cursor: btoa(`["acme","com_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/companies', 'with a cursor whose position overflows to Infinity (1e999)', () => ({ sort: 'createdAt', cursor: btoa(`[1e999,"com_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/companies', "with a contact's cursor", () => ({ cursor: btoa(`["acme","con_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/activities', 'with a cursor that is not base64 JSON', () => ({ cursor: '%%%' }), invalidRequest('cursor')),
    withQuery('GET /api/activities', 'with a cursor whose position is not a time', () => ({ cursor: btoa(`["yesterday","act_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/activities', 'with a cursor whose position overflows to -Infinity (-1e999)', () => ({ cursor: btoa(`[-1e999,"act_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/timeline', 'with a cursor whose position is not a time', () => ({ cursor: btoa(`["yesterday","aud_${A_ULID}"]`) }), invalidRequest('cursor')),
    withQuery('GET /api/timeline', 'with a cursor whose id is not an id', () => ({ cursor: btoa(`[1700000000000,"aud_' or 1=1 --"]`) }), invalidRequest('cursor')),
  ],

  'custom-field values that do not fit their definition': [
    ...(['POST /api/contacts', 'PATCH /api/contacts/{id}'] as const).flatMap((route) => [
      withBody(route, 'giving a number field a string', () => ({ customFields: { score: 'high' } }), invalidValue('customFields.score'), ['custom fields']),
      withBody(route, 'giving a select field an option it does not have', () => ({ customFields: { tier: 'platinum' } }), invalidValue('customFields.tier'), ['custom fields']),
      withBody(route, 'giving a multi-select field a single string', () => ({ customFields: { languages: 'en' } }), invalidValue('customFields.languages'), ['custom fields']),
      withBody(route, 'giving a multi-select field an option twice', () => ({ customFields: { languages: ['en', 'en'] } }), invalidValue('customFields.languages'), ['custom fields']),
      withBody(route, 'giving a multi-select field an option it does not have', () => ({ customFields: { languages: ['en', 'de'] } }), invalidValue('customFields.languages'), ['custom fields']),
      withBody(route, 'giving a boolean field the string "yes"', () => ({ customFields: { vip: 'yes' } }), invalidValue('customFields.vip'), ['custom fields']),
      withBody(route, 'giving a date field a date in another format', () => ({ customFields: { customer_since: '23/11/2026' } }), invalidValue('customFields.customer_since'), ['custom fields']),
      withBody(route, 'giving a date field a day that does not exist (30 February)', () => ({ customFields: { customer_since: '2026-02-30' } }), invalidValue('customFields.customer_since'), ['custom fields']),
      withBody(route, 'with a key no field has', () => ({ customFields: { shoe_size: 42 } }), invalidValue('customFields.shoe_size'), ['custom fields']),
      withBody(route, "with a company field's key", () => ({ customFields: { segment: 'smb' } }), invalidValue('customFields.segment'), ['custom fields']),
      withBody(route, 'with a key over 64 characters', () => ({ customFields: { [`k${'x'.repeat(64)}`]: 1 } }), invalidRequest(`customFields.k${'x'.repeat(64)}`, 'invalid_key'), ['custom fields']),
      withBody(route, 'with a key every object already has (constructor)', () => ({ customFields: { constructor: 'x' } }), invalidValue('customFields.constructor'), ['custom fields']),
      withBody(route, 'with a key every object already has (toString)', () => ({ customFields: { toString: 'x' } }), invalidValue('customFields.toString'), ['custom fields']),
      withRawBody(route, 'with a __proto__ key among its custom values', '{"firstName":"Ada","customFields":{"__proto__":["gold"],"score":1}}', invalidRequest('customFields.__proto__')),
      withRawBody(route, 'with a __proto__ key in softData', '{"firstName":"Ada","softData":{"__proto__":{"notes":"x"}}}', invalidRequest('softData', 'unrecognized_keys')),
    ]),
    ...(['POST /api/companies', 'PATCH /api/companies/{id}'] as const).flatMap((route) => [
      withBody(route, 'giving a select field an option it does not have', () => ({ customFields: { segment: 'galactic' } }), invalidValue('customFields.segment'), ['custom fields']),
      withBody(route, "with a contact field's key", () => ({ customFields: { tier: 'gold' } }), invalidValue('customFields.tier'), ['custom fields']),
      withRawBody(route, 'with a __proto__ key among its custom values', '{"name":"Acme","customFields":{"__proto__":null}}', invalidRequest('customFields.__proto__')),
    ]),
    {
      name: 'PATCH /api/custom-fields/{id} giving options to a number field',
      as: 'owner',
      needs: ['number field'],
      send: (w) => ({ method: 'PATCH', path: `/api/custom-fields/${w.scoreFieldId}`, body: { options: ['low', 'high'] } }),
      expect: invalidValue('options'),
    },
  ],

  'references that are not ids': [
    withBody('POST /api/contacts', 'with an ownerId that is not a member', () => ({ ownerId: `usr_${A_ULID}` }), invalidValue('ownerId')),
    withBody('POST /api/contacts', 'with a companyId that is no company', () => ({ companyId: `com_${A_ULID}` }), invalidValue('companyId')),
    withBody('POST /api/contacts', 'with an empty ownerId', () => ({ ownerId: '' }), { status: [400, 422] }),
    withBody('POST /api/contacts', 'with an empty companyId', () => ({ companyId: '' }), { status: [400, 422] }),
    withBody('PATCH /api/contacts/{id}', 'with an empty ownerId', () => ({ ownerId: '' }), { status: [400, 422] }),
    withBody('POST /api/companies', 'with an empty ownerId', () => ({ ownerId: '' }), { status: [400, 422] }),
    withBody('POST /api/activities', 'on a contact that does not exist', () => ({ contactId: `con_${A_ULID}` }), { status: 404, code: 'not_found' }),
    withBody('POST /api/activities', 'with an empty contactId next to a companyId that does not exist', () => ({ contactId: '', companyId: `com_${A_ULID}` }), { status: 400, code: 'invalid_request' }),
    withBody('POST /api/auth/switch-workspace', 'to a workspace the user is not in', () => ({ workspaceId: `ws_${A_ULID}` }), { status: 404, code: 'not_found' }),
    withBody('POST /api/invitations/lookup', 'with a token nobody issued', () => ({ token: 'x'.repeat(43) }), { status: 404, code: 'not_found' }),
    withBody('POST /api/invitations/accept', 'with a token nobody issued', () => ({ token: 'x'.repeat(43) }), { status: 404, code: 'not_found' }),
  ],

  'ids in paths that are not ids': pathIdCases,
  'analytics settings that break their rules': [
    withBody('PATCH /api/segmentation/settings', 'with a currency that does not exist', () => ({ reportingCurrency: 'USX' }), invalidRequest('reportingCurrency')),
    withBody('PATCH /api/segmentation/settings', 'with a lower-case currency', () => ({ exchangeRates: [{ currency: 'eur', rate: 1.1 }] }), invalidRequest('exchangeRates.0.currency')),
    withBody('PATCH /api/segmentation/settings', 'with a window under 30 days', () => ({ windowDays: 29 }), invalidRequest('windowDays', 'too_small')),
    withBody('PATCH /api/segmentation/settings', 'with a window of 90.5 days', () => ({ windowDays: 90.5 }), invalidRequest('windowDays')),
    withBody('PATCH /api/segmentation/settings', 'with a rate of 0', () => ({ exchangeRates: [{ currency: 'EUR', rate: 0 }] }), invalidRequest('exchangeRates.0.rate', 'too_small')),
    withBody(
      'PATCH /api/segmentation/settings',
      'naming a currency twice',
      () => ({ exchangeRates: [{ currency: 'EUR', rate: 1.1 }, { currency: 'EUR', rate: 1.2 }] }),
      invalidRequest('exchangeRates'),
    ),
    { name: 'POST /api/segmentation/runs with a read-scoped API key → 403', as: 'read key', send: () => ({ method: 'POST', path: '/api/segmentation/runs' }), expect: { status: 403, code: 'forbidden' } },
  ],

  'ids of records that are gone or in the wrong state': [
    {
      name: 'PATCH /api/contacts/{id} on a contact in the trash',
      as: 'owner',
      needs: ['trashed contact'],
      send: (w) => ({ method: 'PATCH', path: `/api/contacts/${w.trashedContactId}`, body: { jobTitle: 'Ghost' } }),
      expect: { status: 404, code: 'not_found' },
    },
    {
      name: 'DELETE /api/contacts/{id} on a contact already in the trash',
      as: 'owner',
      needs: ['trashed contact'],
      send: (w) => ({ method: 'DELETE', path: `/api/contacts/${w.trashedContactId}` }),
      expect: { status: 404, code: 'not_found' },
    },
    {
      name: 'PATCH /api/activities/{id} on a note of a contact in the trash',
      as: 'owner',
      needs: ['note of a trashed contact'],
      send: (w) => ({ method: 'PATCH', path: `/api/activities/${w.trashedNoteId}`, body: { body: 'Ghost edit' } }),
      expect: { status: 404, code: 'not_found' },
    },
    {
      name: 'DELETE /api/activities/{id} on a note of a contact in the trash',
      as: 'owner',
      needs: ['note of a trashed contact'],
      send: (w) => ({ method: 'DELETE', path: `/api/activities/${w.trashedNoteId}` }),
      expect: { status: 404, code: 'not_found' },
    },
    {
      name: 'DELETE /api/activities/{id} with a read-scoped API key',
      as: 'read key',
      needs: ['note'],
      send: (w) => ({ method: 'DELETE', path: `/api/activities/${w.noteId}` }),
      expect: { status: 403, code: 'forbidden' },
    },
    {
      name: 'POST /api/activities on a contact in the trash',
      as: 'owner',
      needs: ['trashed contact'],
      send: (w) => ({ method: 'POST', path: '/api/activities', body: { contactId: w.trashedContactId, body: 'Ghost note' } }),
      expect: { status: 404, code: 'not_found' },
    },
    {
      name: 'DELETE /api/invitations/{id} on an invitation already revoked (answers 404 like a revoked API key, and keeps the first revocation time)',
      as: 'owner',
      needs: ['revoked invitation'],
      send: (w) => ({ method: 'DELETE', path: `/api/invitations/${w.revokedInvitationId}` }),
      expect: { status: 404, code: 'not_found' },
    },
    {
      name: 'POST /api/contacts/{id}/restore on a contact that is not in the trash',
      as: 'owner',
      needs: ['contact'],
      send: (w) => ({ method: 'POST', path: `/api/contacts/${w.contactId}/restore` }),
      expect: { status: 409, code: 'conflict' },
    },
    {
      name: 'POST /api/segments/{id}/restore on a segment that is not in the trash',
      as: 'owner',
      needs: ['segment'],
      send: (w) => ({ method: 'POST', path: `/api/segments/${w.segmentId}/restore` }),
      expect: { status: 409, code: 'conflict' },
    },
    {
      name: 'POST /api/companies/{id}/restore on a company that is not in the trash',
      as: 'owner',
      needs: ['company'],
      send: (w) => ({ method: 'POST', path: `/api/companies/${w.companyId}/restore` }),
      expect: { status: 409, code: 'conflict' },
    },
    {
      name: 'PATCH /api/members/{userId} demoting the only owner',
      as: 'owner',
      send: (w) => ({ method: 'PATCH', path: `/api/members/${w.owner.userId}`, body: { role: 'admin' } }),
      expect: { status: 409, code: 'conflict' },
    },
    {
      name: 'POST /api/members/leave as the only owner',
      as: 'owner',
      send: () => ({ method: 'POST', path: '/api/members/leave' }),
      expect: { status: 409, code: 'conflict' },
    },
  ],

  'text that storage or search cannot take': [
    // A NUL is no character a person types; SQLite stores it but the client
    // reads the text back cut at the NUL, and FTS5 fails on it.
    withBody('POST /api/contacts', 'with a NUL character in the first name', () => ({ firstName: 'Ada\u0000Byron' }), invalidRequest('firstName')),
    // (With no contact in the workspace SQLite never runs the FTS5 match, so
    // the case needs one.)
    withQuery('GET /api/contacts', 'searching for a word with a NUL character in it', () => ({ q: 'ada\u0000' }), invalidRequest('q'), ['contact']),
    // A website is for people to visit: a javascript: or data: URL stored
    // here becomes script the moment the UI renders it as a link.
    withBody('POST /api/companies', 'with a javascript: URL as website', () => ({ website: 'javascript:alert(document.cookie)' }), invalidRequest('website')),
    withBody('PATCH /api/companies/{id}', 'with a data: URL as website', () => ({ website: 'data:text/html,<script>alert(1)</script>' }), invalidRequest('website')),
    // The rule create enforces ("a first name, a last name or an email")
    // must also hold after an edit.
    withBody('PATCH /api/contacts/{id}', 'clearing both names and every email', () => ({ firstName: '', lastName: '', emails: [] }), { status: [400, 422] }),
  ],

  // What zod lets through is checked against the field registry and the
  // workspace (domain/segments.ts) before any SQL is built.
  'segment definitions that do not fit': [
    withBody('POST /api/segments/preview', 'with SQL as a field name', () => ({ definition: { ...everyone, children: [{ type: 'condition', field: "contact.name = '' or 1=1 --", operator: 'is_set' }] } }), invalidRequest('definition.children.0.field')),
    withBody('POST /api/segments/preview', 'with an operator no field has', () => ({ definition: { ...everyone, children: [{ type: 'condition', field: 'contact.name', operator: 'matches', value: '.*' }] } }), invalidRequest('definition.children.0.operator', 'invalid_value')),
    withBody('POST /api/segments/preview', 'with a group that is neither and nor or', () => ({ definition: { ...everyone, op: 'xor' } }), invalidRequest('definition.op', 'invalid_value')),
    withBody('POST /api/segments/preview', 'with a node of no known type', () => ({ definition: { ...everyone, children: [{ type: 'sql', text: 'select 1' }] } }), invalidRequest('definition.children.0.type')),
    withBody('POST /api/segments', 'with text for a number field', () => ({ definition: { ...everyone, children: [{ type: 'condition', field: 'orders.count', operator: 'gt', value: '1; drop table contacts' }] } }), invalidRequest('definition.children.0.value')),
    withBody('PATCH /api/segments/{id}', 'with a custom field the workspace lacks', () => ({ definition: { ...everyone, children: [{ type: 'condition', field: 'contact.cf.shoe_size', operator: 'gt', value: 3 }] } }), invalidRequest('definition.children.0.field')),
    withBody('POST /api/segments', 'without a definition', () => ({ definition: undefined }), invalidRequest('definition')),
    withBody('POST /api/segments', 'with a blank name', () => ({ name: '  ' }), invalidRequest('name')),
  ],

  'oversize values (just over each documented maximum)': oversize,

  'transport and credentials': [
    {
      name: 'POST /api/contacts with a body over 1 MiB → 413',
      as: 'owner',
      send: () => ({ method: 'POST', path: '/api/contacts', body: aContact({ jobTitle: 'x'.repeat(1024 * 1024) }) }),
      expect: { status: 413, code: 'payload_too_large' },
    },
    {
      name: 'POST /api/contacts declaring a Content-Length over 1 MiB → 413',
      as: 'owner',
      send: () => {
        const raw = JSON.stringify(aContact({ jobTitle: 'x'.repeat(1024 * 1024) }));
        return { method: 'POST', path: '/api/contacts', raw, headers: { 'content-length': String(Buffer.byteLength(raw)) } };
      },
      expect: { status: 413, code: 'payload_too_large' },
    },
    {
      name: 'POST /api/contacts with a JSON body sent as text/plain → 415',
      as: 'owner',
      send: () => ({ method: 'POST', path: '/api/contacts', raw: JSON.stringify(aContact()), headers: { 'content-type': 'text/plain' } }),
      expect: { status: 415 },
    },
    { name: 'GET on an /api path no route has → 404', as: 'owner', send: () => ({ method: 'GET', path: '/api/deals' }), expect: { status: 404, code: 'not_found' } },
    { name: 'POST to an /api path no route has → 404', as: 'owner', send: () => ({ method: 'POST', path: '/api/contacts/import', body: [aContact()] }), expect: { status: 404, code: 'not_found' } },
    { name: 'GET on an /api path no route has, signed out → 404', as: 'anonymous', send: () => ({ method: 'GET', path: '/api/nothing/here' }), expect: { status: 404, code: 'not_found' } },
    {
      name: 'POST /api/contacts with the session cookie but no x-csrf-token → 403',
      as: 'owner without CSRF header',
      send: () => ({ method: 'POST', path: '/api/contacts', body: aContact() }),
      expect: { status: 403, code: 'csrf_failed' },
    },
    {
      name: 'DELETE /api/contacts/{id} with the session cookie but no x-csrf-token → 403',
      as: 'owner without CSRF header',
      needs: ['contact'],
      send: (w) => ({ method: 'DELETE', path: `/api/contacts/${w.contactId}` }),
      expect: { status: 403, code: 'csrf_failed' },
    },
    {
      name: 'POST /api/api-keys with the session cookie and a forged x-csrf-token → 403',
      as: 'owner',
      send: () => ({ method: 'POST', path: '/api/api-keys', body: { name: 'x', scope: 'write' }, headers: { 'x-csrf-token': 'forged' } }),
      expect: { status: 403, code: 'csrf_failed' },
    },
    {
      name: "POST /api/contacts from another site's page (Origin header) → 403",
      as: 'owner',
      send: () => ({ method: 'POST', path: '/api/contacts', body: aContact(), headers: { origin: 'https://evil.example' } }),
      expect: { status: 403, code: 'csrf_failed' },
    },
    { name: 'POST /api/contacts with a read-scoped API key → 403', as: 'read key', send: () => ({ method: 'POST', path: '/api/contacts', body: aContact() }), expect: { status: 403, code: 'forbidden' } },
    { name: 'PATCH /api/contacts/{id} with a read-scoped API key → 403', as: 'read key', needs: ['contact'], send: (w) => ({ method: 'PATCH', path: `/api/contacts/${w.contactId}`, body: { jobTitle: 'x' } }), expect: { status: 403, code: 'forbidden' } },
    { name: 'DELETE /api/contacts/{id} with a read-scoped API key → 403', as: 'read key', needs: ['contact'], send: (w) => ({ method: 'DELETE', path: `/api/contacts/${w.contactId}` }), expect: { status: 403, code: 'forbidden' } },
    { name: 'GET /api/contacts with a revoked API key → 401', as: 'revoked key', send: () => ({ method: 'GET', path: '/api/contacts' }), expect: { status: 401, code: 'invalid_api_key' } },
    { name: 'POST /api/contacts with a revoked API key → 401', as: 'revoked key', send: () => ({ method: 'POST', path: '/api/contacts', body: aContact() }), expect: { status: 401, code: 'invalid_api_key' } },
    { name: 'POST /api/contacts with an API key nobody issued → 401', as: 'unknown key', send: () => ({ method: 'POST', path: '/api/contacts', body: aContact() }), expect: { status: 401, code: 'invalid_api_key' } },
    {
      name: 'GET /api/contacts with an Authorization header that is not a Relate key → 401',
      as: 'anonymous',
      send: () => ({ method: 'GET', path: '/api/contacts', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
      expect: { status: 401, code: 'invalid_api_key' },
    },
    { name: 'GET /api/contacts with no credentials → 401', as: 'anonymous', send: () => ({ method: 'GET', path: '/api/contacts' }), expect: { status: 401, code: 'unauthorized' } },
    { name: 'POST /api/contacts with no credentials → 401', as: 'anonymous', send: () => ({ method: 'POST', path: '/api/contacts', body: aContact() }), expect: { status: 401, code: 'unauthorized' } },
    { name: 'POST /api/contacts with no credentials and malformed JSON → 401', as: 'anonymous', send: () => ({ method: 'POST', path: '/api/contacts', raw: '{"a":' }), expect: { status: 401, code: 'unauthorized' } },
    { name: 'POST /api/invitations/accept with no credentials → 401', as: 'anonymous', needs: ['invitation'], send: (w) => ({ method: 'POST', path: '/api/invitations/accept', body: { token: w.invitationToken } }), expect: { status: 401, code: 'unauthorized' } },
  ],
};

// ---------------------------------------------------------------------------

async function send(caller: Caller, req: Request) {
  return caller.request(req.method, req.path, {
    ...(req.raw !== undefined ? { rawBody: req.raw } : req.body !== undefined ? { body: req.body } : {}),
    ...(req.headers ? { headers: req.headers } : {}),
  });
}

describe('the valid requests the cases start from', () => {
  const nextOwner = ownersForEachCase(bodyEndpoints.length + listEndpoints.length);
  for (const e of bodyEndpoints) {
    it(`${e.route} accepts its valid body`, async () => {
      const w = await aWorkspace(nextOwner(), new Set(e.needs));
      const res = await send(await callerFor(w, e.as), { method: methodOf(e.route), path: e.path?.(w) ?? pathOf(e.route), body: e.valid(w) });
      expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
    });
  }
  for (const l of listEndpoints) {
    it(`${l.route} accepts its valid query`, async () => {
      const w = await aWorkspace(nextOwner(), new Set(l.needs));
      const res = await w.owner.caller.get(`${l.path?.(w) ?? pathOf(l.route)}?${new URLSearchParams(l.valid(w))}`);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    });
  }
});

for (const [group, cases] of Object.entries(groups)) {
  describe(group, () => {
    const nextOwner = ownersForEachCase(cases.length);
    for (const c of cases) {
      const outcome = c.expect.status === 200 ? 'is answered 200 and writes nothing' : 'is refused and writes nothing';
      it(`${c.name} ${outcome}`, async () => {
        const w = await aWorkspace(nextOwner(), new Set(c.needs));
        const caller = await callerFor(w, c.as);
        const req = c.send(w);
        const before = await tableRowCounts(t.db);

        const res = await send(caller, req);

        if (c.expect.status === 200) expect(res.status, JSON.stringify(res.json)).toBe(200);
        else {
          expectErrorReply(res, c.expect.status, c.expect.code);
          if (c.expect.issue) {
            const { path, code } = c.expect.issue;
            expect(res.json.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path, ...(code ? { code } : {}) })]));
          }
        }
        expect(await tableRowCounts(t.db)).toEqual(before);
      });
    }
  });
}

describe('coverage of the OpenAPI document', () => {
  it('has a valid request above for every operation that takes a body or a query', async () => {
    const doc = await openApiDocument(t.app);
    const known = new Set<string>([...bodyEndpoints, ...listEndpoints].map((e) => e.route));
    expect([...routesWithBody(doc), ...routesWithQuery(doc)].filter((r) => !known.has(r))).toEqual([]);
  });

  it('has bad-id cases for every operation with a path parameter', async () => {
    const doc = await openApiDocument(t.app);
    const known = new Set<string>(idRoutes.map((r) => r.route));
    expect(routesWithPathParameters(doc).filter((r) => !known.has(r))).toEqual([]);
  });

  it('has an oversize case for every maximum the document states', async () => {
    const doc = await openApiDocument(t.app);
    const covered = new Set(
      Object.entries(limits).flatMap(([route, overs]) => overs.map(([field, value]) => `${route} ${field} ${keywordOf(value)}`)),
    );
    expect(documentedLimits(doc).filter((l) => !covered.has(l))).toEqual([]);
  });
});
