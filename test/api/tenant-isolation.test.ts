import { eq, getTableColumns, getTableName, inArray } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrder, aProduct } from '../fixtures/commerce';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import {
  anApiKey,
  created,
  expectErrorReply,
  idReferences,
  openApiDocument,
  schemaTables,
  tableRowCounts,
  type Reply,
} from '../fixtures/requests';

// One workspace must never read, change or even confirm the existence of
// another's records (functions/services/workspace-data.ts). Workspace B holds
// one of everything with an id; A's owner (browser session) and A's write API
// key try every endpoint that takes an id with B's ids.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const PASSWORD = 'correct horse battery';

// A's owner and write key, with one record of each kind of its own (so a
// list that leaks nothing is not merely empty).
async function anAlpha() {
  const a = await aMember(t.app, { workspaceName: 'Alpha' });
  const aKey = await anApiKey(t.app, a.caller, 'write');
  const alpha = {
    owner: a,
    key: aKey,
    contact: await created(a.caller.post('/api/contacts', aContact({ firstName: 'Alma', tags: ['alpine'] }))),
    company: await created(a.caller.post('/api/companies', { name: 'Alpha Anvils' })),
    product: await created(a.caller.post('/api/products', aProduct({ sku: 'ALP-1', name: 'Alpine horn' }))),
    field: await created(a.caller.post('/api/custom-fields', { entity: 'contact', key: 'hat_size', label: 'Hat size', type: 'number' })),
    invitation: await created(a.caller.post('/api/invitations', { role: 'viewer' })),
    view: await created(a.caller.post('/api/views', { entity: 'contact', name: 'Alpine', visibility: 'workspace', state: { filters: { tag: ['alpine'] } } })),
    run: await created(a.caller.post('/api/segmentation/runs')),
    segment: await created(a.caller.post('/api/segments', { name: 'Everyone', definition: { type: 'group', op: 'and', children: [] } })),
    import: await created(a.caller.post('/api/imports', { entity: 'contact', filename: 'alpine.csv' })),
    source: await created(a.caller.post('/api/webhook-sources', { name: 'Alpine forms', kind: 'standard' })),
    subscription: await created(a.caller.post('/api/webhook-subscriptions', { url: 'https://hooks.alpine.example/relate', eventTypes: ['contact.created'] })),
  };
  // An order of Alma's, so A's contacts stay the one a list must show.
  const order = await created(a.caller.post('/api/orders', anOrder({ contactId: alpha.contact.id })));
  return { ...alpha, order };
}

// B: a contact with a note, a company with a note, a trashed contact and
// company, a custom field, an open invitation, an API key and a member
// besides its owner.
async function aBravo() {
  const b = await aMember(t.app, { workspaceName: 'Bravo' });
  const company = await created(b.caller.post('/api/companies', { name: 'Bravonian Widgetry', domain: 'bravonian.example' }));
  const contact = await created(
    b.caller.post('/api/contacts', aContact({ firstName: 'Zebulon', lastName: 'Quaxley', companyId: company.id, emails: [{ address: 'zebulon@bravonian.example' }], tags: ['Bravonian'] })),
  );
  const note = await created(b.caller.post('/api/activities', { contactId: contact.id, body: 'Met at the trade fair' }));
  const companyNote = await created(b.caller.post('/api/activities', { companyId: company.id, body: 'Sent the price list' }));
  const trashedContact = await created(b.caller.post('/api/contacts', aContact({ firstName: 'Trashed', lastName: 'Bravonian' })));
  await created(b.caller.delete(`/api/contacts/${trashedContact.id}`));
  const trashedCompany = await created(b.caller.post('/api/companies', { name: 'Bravonian Leftovers' }));
  await created(b.caller.delete(`/api/companies/${trashedCompany.id}`));
  const field = await created(b.caller.post('/api/custom-fields', { entity: 'contact', key: 'shoe_size', label: 'Shoe size', type: 'number' }));
  const invitation = await created(b.caller.post('/api/invitations', { role: 'sales' }));
  const joining = await created(b.caller.post('/api/invitations', { role: 'sales' }));
  const member = await created(
    new Caller(t.app).post('/api/auth/sign-up', {
      email: `bravo-member-${Math.random().toString(36).slice(2, 8)}@example.com`,
      password: PASSWORD,
      name: 'Bravo Member',
      invitationToken: joining.token,
    }),
  );
  const key = await anApiKey(t.app, b.caller, 'write');
  // A product, a trashed one, and an order of the contact's with a shop id.
  const product = await created(b.caller.post('/api/products', aProduct({ sku: 'BRV-1', name: 'Bravonian widget' })));
  const trashedProduct = await created(b.caller.post('/api/products', aProduct({ sku: 'BRV-2', name: 'Bravonian gadget' })));
  await created(b.caller.delete(`/api/products/${trashedProduct.id}`));
  const order = await created(b.caller.post('/api/orders', anOrder({ contactId: contact.id, externalId: 'BRV-ORDER-1', lines: [{ productId: product.id, quantity: 1, unitPrice: 900 }] })));
  // A saved view shared with B's workspace, a bulk tagging and a bulk
  // delete (with the record it moved to the trash) of B's.
  const view = await created(b.caller.post('/api/views', { entity: 'contact', name: 'Bravonian', visibility: 'workspace', state: { filters: { tag: ['Bravonian'] } } }));
  const tagging = await created(b.caller.post('/api/contacts/bulk', { selection: { ids: [contact.id] }, action: { type: 'addTags', tags: ['Bravonian'] } }));
  const doomed = await created(b.caller.post('/api/contacts', aContact({ firstName: 'Doomed', lastName: 'Bravonian' })));
  const bulkDelete = await created(b.caller.post('/api/contacts/bulk', { selection: { ids: [doomed.id] }, action: { type: 'delete' } }));
  const run = await created(b.caller.post('/api/segmentation/runs'));
  // A segment of B's, refreshed so it has members and history.
  const segment = await created(b.caller.post('/api/segments', { name: 'Bravonians', definition: { type: 'group', op: 'and', children: [{ type: 'condition', field: 'contact.tags', operator: 'any_of', value: ['Bravonian'] }] } }));
  await created(b.caller.post(`/api/segments/${segment.id}/refresh`));
  const source = await created(b.caller.post('/api/webhook-sources', { name: 'Bravonian forms', kind: 'standard' }));
  // A form fill B's source sent, in B's inbox.
  const fill = JSON.stringify({ type: 'form.submitted', data: { email: 'zebulon@bravonian.example' } });
  const signature = new StandardWebhook(source.secret).sign('msg_bravo', new Date(t.clock.now), fill);
  const received = await t.app.request(`http://localhost/webhooks/${source.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_bravo', 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': signature },
    body: fill,
  });
  const webhookEvent = (await received.json()) as { id: string };
  // A webhook subscription of B's with a delivery in its log.
  const subscription = await created(b.caller.post('/api/webhook-subscriptions', { url: 'https://hooks.bravonian.example/relate', eventTypes: ['contact.created'] }));
  const testDelivery = await created(b.caller.post(`/api/webhook-subscriptions/${subscription.id}/test`));
  const trashedSegment = await created(b.caller.post('/api/segments', { name: 'Gone', definition: { type: 'group', op: 'and', children: [] } }));
  await created(b.caller.delete(`/api/segments/${trashedSegment.id}`));
  // An import of B's with its file uploaded, not started.
  const upload = await created(b.caller.post('/api/imports', { entity: 'contact', filename: 'bravonian.csv' }));
  await created(b.caller.request('PUT', `/api/imports/${upload.id}/file`, { rawBody: 'email\nbravo@bravonian.example\n', headers: { 'content-type': 'text/csv' } }));
  const bravo = {
    workspaceId: b.workspaceId,
    ownerId: b.userId,
    memberId: member.userId as string,
    contactId: contact.id as string,
    companyId: company.id as string,
    noteId: note.id as string,
    companyNoteId: companyNote.id as string,
    trashedContactId: trashedContact.id as string,
    trashedCompanyId: trashedCompany.id as string,
    fieldId: field.id as string,
    invitationId: invitation.id as string,
    keyId: key.id,
    viewId: view.id as string,
    taggingId: tagging.id as string,
    bulkDeleteId: bulkDelete.id as string,
    doomedContactId: doomed.id as string,
    productId: product.id as string,
    trashedProductId: trashedProduct.id as string,
    trashedSegmentId: trashedSegment.id as string,
    sourceId: source.id as string,
    webhookEventId: webhookEvent.id,
    subscriptionId: subscription.id as string,
    deliveryId: testDelivery.deliveryId as string,
    orderId: order.id as string,
    runId: run.id as string,
    segmentId: segment.id as string,
    importId: upload.id as string,
  };
  return bravo;
}

async function twoWorkspaces() {
  const [alpha, bravo] = await Promise.all([anAlpha(), aBravo()]);
  return { alpha, bravo };
}
type World = Awaited<ReturnType<typeof twoWorkspaces>>;
type Bravo = World['bravo'];

// Everything B owns, straight from the database: every row of every table in
// db/schema that carries B's workspace id, B's workspace row and its people.
async function rowsOf(bravo: Bravo) {
  const snapshot: Record<string, string[]> = {};
  for (const table of schemaTables) {
    const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
    const name = getTableName(table);
    const where =
      columns.workspaceId ? eq(columns.workspaceId, bravo.workspaceId)
      : name === 'workspaces' ? eq(columns.id!, bravo.workspaceId)
      : name === 'users' ? inArray(columns.id!, [bravo.ownerId, bravo.memberId])
      : undefined;
    if (!where) continue; // not tenant data: the node queue, the sign-in throttle
    const rows = await t.db.select().from(table).where(where);
    snapshot[name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return snapshot;
}

// ---------------------------------------------------------------------------
// Every endpoint that takes an id, tried with B's ids.

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Outcome = { status: number; code: string } | 'an empty page' | 'a count of none' | 'a file of no rows';
const notFound: Outcome = { status: 404, code: 'not_found' };
// A reference inside an otherwise valid body: the request is well-formed,
// the value breaks the rule "references point inside this workspace", so
// the service answers 422 naming the field, exactly as for an unknown id.
const invalidReference: Outcome = { status: 422, code: 'invalid' };
// API keys never purge, and never manage fields, people, invitations or keys
// (KEY_MATRIX in functions/domain/permissions.ts): refused before any lookup.
const forbiddenToKeys: Outcome = { status: 403, code: 'forbidden' };

type IsolationRow = {
  // What A tries; read with the outcome it expects.
  name: string;
  // The operation as the OpenAPI document spells it, and where B's id goes.
  route: `${Method} /api/${string}`;
  reference: `${'path' | 'query' | 'body'}.${string}`;
  send: (w: World) => { path: string; body?: unknown };
  cookie: Outcome;
  key: Outcome;
};

const rows: IsolationRow[] = [
  // contacts
  { name: "reads B's contact", route: 'GET /api/contacts/{id}', reference: 'path.id', send: (w) => ({ path: `/api/contacts/${w.bravo.contactId}` }), cookie: notFound, key: notFound },
  { name: "edits B's contact", route: 'PATCH /api/contacts/{id}', reference: 'path.id', send: (w) => ({ path: `/api/contacts/${w.bravo.contactId}`, body: { firstName: 'Hijacked' } }), cookie: notFound, key: notFound },
  { name: "trashes B's contact", route: 'DELETE /api/contacts/{id}', reference: 'path.id', send: (w) => ({ path: `/api/contacts/${w.bravo.contactId}` }), cookie: notFound, key: notFound },
  { name: "restores B's trashed contact", route: 'POST /api/contacts/{id}/restore', reference: 'path.id', send: (w) => ({ path: `/api/contacts/${w.bravo.trashedContactId}/restore` }), cookie: notFound, key: notFound },
  { name: "purges B's trashed contact", route: 'POST /api/contacts/{id}/purge', reference: 'path.id', send: (w) => ({ path: `/api/contacts/${w.bravo.trashedContactId}/purge` }), cookie: notFound, key: forbiddenToKeys },
  { name: "creates a contact at B's company (companyId in the body)", route: 'POST /api/contacts', reference: 'body.companyId', send: (w) => ({ path: '/api/contacts', body: aContact({ companyId: w.bravo.companyId }) }), cookie: invalidReference, key: invalidReference },
  { name: "creates a contact owned by B's member (ownerId in the body)", route: 'POST /api/contacts', reference: 'body.ownerId', send: (w) => ({ path: '/api/contacts', body: aContact({ ownerId: w.bravo.memberId }) }), cookie: invalidReference, key: invalidReference },
  { name: "moves its own contact to B's company (companyId in the body)", route: 'PATCH /api/contacts/{id}', reference: 'body.companyId', send: (w) => ({ path: `/api/contacts/${w.alpha.contact.id}`, body: { companyId: w.bravo.companyId } }), cookie: invalidReference, key: invalidReference },
  { name: "hands its own contact to B's owner (ownerId in the body)", route: 'PATCH /api/contacts/{id}', reference: 'body.ownerId', send: (w) => ({ path: `/api/contacts/${w.alpha.contact.id}`, body: { ownerId: w.bravo.ownerId } }), cookie: invalidReference, key: invalidReference },
  // A filter is not a reference: it matches none of A's rows.
  { name: "lists its contacts filtered by B's company", route: 'GET /api/contacts', reference: 'query.companyId', send: (w) => ({ path: `/api/contacts?companyId=${w.bravo.companyId}` }), cookie: 'an empty page', key: 'an empty page' },
  { name: "lists its contacts filtered by B's owner", route: 'GET /api/contacts', reference: 'query.ownerId', send: (w) => ({ path: `/api/contacts?ownerId=${w.bravo.ownerId}` }), cookie: 'an empty page', key: 'an empty page' },
  { name: "counts its contacts at B's company", route: 'GET /api/contacts/count', reference: 'query.companyId', send: (w) => ({ path: `/api/contacts/count?companyId=${w.bravo.companyId}` }), cookie: 'a count of none', key: 'a count of none' },
  { name: "counts its contacts owned by B's member", route: 'GET /api/contacts/count', reference: 'query.ownerId', send: (w) => ({ path: `/api/contacts/count?ownerId=${w.bravo.memberId}` }), cookie: 'a count of none', key: 'a count of none' },
  { name: "exports its contacts at B's company", route: 'GET /api/contacts/export', reference: 'query.companyId', send: (w) => ({ path: `/api/contacts/export?companyId=${w.bravo.companyId}` }), cookie: 'a file of no rows', key: 'a file of no rows' },
  { name: "exports its contacts owned by B's member", route: 'GET /api/contacts/export', reference: 'query.ownerId', send: (w) => ({ path: `/api/contacts/export?ownerId=${w.bravo.memberId}` }), cookie: 'a file of no rows', key: 'a file of no rows' },

  // products
  { name: "reads B's product", route: 'GET /api/products/{id}', reference: 'path.id', send: (w) => ({ path: `/api/products/${w.bravo.productId}` }), cookie: notFound, key: notFound },
  { name: "reprices B's product", route: 'PATCH /api/products/{id}', reference: 'path.id', send: (w) => ({ path: `/api/products/${w.bravo.productId}`, body: { price: 1 } }), cookie: notFound, key: notFound },
  { name: "trashes B's product", route: 'DELETE /api/products/{id}', reference: 'path.id', send: (w) => ({ path: `/api/products/${w.bravo.productId}` }), cookie: notFound, key: notFound },
  { name: "restores B's trashed product", route: 'POST /api/products/{id}/restore', reference: 'path.id', send: (w) => ({ path: `/api/products/${w.bravo.trashedProductId}/restore` }), cookie: notFound, key: notFound },
  { name: "purges B's trashed product", route: 'POST /api/products/{id}/purge', reference: 'path.id', send: (w) => ({ path: `/api/products/${w.bravo.trashedProductId}/purge` }), cookie: notFound, key: forbiddenToKeys },
  // orders
  { name: "reads B's order", route: 'GET /api/orders/{id}', reference: 'path.id', send: (w) => ({ path: `/api/orders/${w.bravo.orderId}` }), cookie: notFound, key: notFound },
  { name: "refunds B's order", route: 'PATCH /api/orders/{id}', reference: 'path.id', send: (w) => ({ path: `/api/orders/${w.bravo.orderId}`, body: { status: 'refunded' } }), cookie: notFound, key: notFound },
  { name: "trashes B's order", route: 'DELETE /api/orders/{id}', reference: 'path.id', send: (w) => ({ path: `/api/orders/${w.bravo.orderId}` }), cookie: notFound, key: notFound },
  { name: "restores B's order", route: 'POST /api/orders/{id}/restore', reference: 'path.id', send: (w) => ({ path: `/api/orders/${w.bravo.orderId}/restore` }), cookie: notFound, key: notFound },
  { name: "purges B's order", route: 'POST /api/orders/{id}/purge', reference: 'path.id', send: (w) => ({ path: `/api/orders/${w.bravo.orderId}/purge` }), cookie: notFound, key: forbiddenToKeys },
  { name: "records an order for B's contact (contactId in the body)", route: 'POST /api/orders', reference: 'body.contactId', send: (w) => ({ path: '/api/orders', body: anOrder({ contactId: w.bravo.contactId }) }), cookie: invalidReference, key: invalidReference },
  { name: "sells B's product (productId in a line)", route: 'POST /api/orders', reference: 'body.lines.productId', send: (w) => ({ path: '/api/orders', body: anOrder({ customer: { email: 'alma@alpha.example' }, lines: [{ productId: w.bravo.productId, quantity: 1, unitPrice: 1 }] }) }), cookie: invalidReference, key: invalidReference },
  { name: "batches an order for B's contact (contactId in the body)", route: 'POST /api/orders/batch', reference: 'body.orders.contactId', send: (w) => ({ path: '/api/orders/batch', body: { orders: [anOrder({ externalId: 'ALP-ORDER-9', contactId: w.bravo.contactId })] } }), cookie: invalidReference, key: invalidReference },
  { name: "moves its own order to B's contact (contactId in the body)", route: 'PATCH /api/orders/{id}', reference: 'body.contactId', send: (w) => ({ path: `/api/orders/${w.alpha.order.id}`, body: { contactId: w.bravo.contactId } }), cookie: invalidReference, key: invalidReference },
  { name: "records an order under B's shop id for B's contact (externalId in the body)", route: 'POST /api/orders', reference: 'body.externalId', send: (w) => ({ path: '/api/orders', body: anOrder({ externalId: 'BRV-ORDER-1', contactId: w.bravo.contactId }) }), cookie: invalidReference, key: invalidReference },
  { name: "gives B's order another shop id (externalId in the body)", route: 'PATCH /api/orders/{id}', reference: 'body.externalId', send: (w) => ({ path: `/api/orders/${w.bravo.orderId}`, body: { externalId: 'ALP-ORDER-1' } }), cookie: notFound, key: notFound },
  { name: "batches B's shop id for B's contact (externalId in an order)", route: 'POST /api/orders/batch', reference: 'body.orders.externalId', send: (w) => ({ path: '/api/orders/batch', body: { orders: [anOrder({ externalId: 'BRV-ORDER-1', contactId: w.bravo.contactId })] } }), cookie: invalidReference, key: invalidReference },
  { name: "puts B's product in its own order's lines (productId in a line)", route: 'PATCH /api/orders/{id}', reference: 'body.lines.productId', send: (w) => ({ path: `/api/orders/${w.alpha.order.id}`, body: { lines: [{ productId: w.bravo.productId, quantity: 1, unitPrice: 1 }] } }), cookie: invalidReference, key: invalidReference },
  { name: "lists its orders filtered by B's contact", route: 'GET /api/orders', reference: 'query.contactId', send: (w) => ({ path: `/api/orders?contactId=${w.bravo.contactId}` }), cookie: 'an empty page', key: 'an empty page' },
  { name: "counts its orders of B's contact", route: 'GET /api/orders/count', reference: 'query.contactId', send: (w) => ({ path: `/api/orders/count?contactId=${w.bravo.contactId}` }), cookie: 'a count of none', key: 'a count of none' },
  { name: "exports its orders of B's contact", route: 'GET /api/orders/export', reference: 'query.contactId', send: (w) => ({ path: `/api/orders/export?contactId=${w.bravo.contactId}` }), cookie: 'a file of no rows', key: 'a file of no rows' },
  // companies
  { name: "reads B's company", route: 'GET /api/companies/{id}', reference: 'path.id', send: (w) => ({ path: `/api/companies/${w.bravo.companyId}` }), cookie: notFound, key: notFound },
  { name: "renames B's company", route: 'PATCH /api/companies/{id}', reference: 'path.id', send: (w) => ({ path: `/api/companies/${w.bravo.companyId}`, body: { name: 'Hijacked' } }), cookie: notFound, key: notFound },
  { name: "trashes B's company", route: 'DELETE /api/companies/{id}', reference: 'path.id', send: (w) => ({ path: `/api/companies/${w.bravo.companyId}` }), cookie: notFound, key: notFound },
  { name: "restores B's trashed company", route: 'POST /api/companies/{id}/restore', reference: 'path.id', send: (w) => ({ path: `/api/companies/${w.bravo.trashedCompanyId}/restore` }), cookie: notFound, key: notFound },
  { name: "purges B's trashed company", route: 'POST /api/companies/{id}/purge', reference: 'path.id', send: (w) => ({ path: `/api/companies/${w.bravo.trashedCompanyId}/purge` }), cookie: notFound, key: forbiddenToKeys },
  { name: "creates a company owned by B's owner (ownerId in the body)", route: 'POST /api/companies', reference: 'body.ownerId', send: (w) => ({ path: '/api/companies', body: { name: 'Alpha Annex', ownerId: w.bravo.ownerId } }), cookie: invalidReference, key: invalidReference },
  { name: "hands its own company to B's member (ownerId in the body)", route: 'PATCH /api/companies/{id}', reference: 'body.ownerId', send: (w) => ({ path: `/api/companies/${w.alpha.company.id}`, body: { ownerId: w.bravo.memberId } }), cookie: invalidReference, key: invalidReference },
  { name: "lists its companies filtered by B's owner", route: 'GET /api/companies', reference: 'query.ownerId', send: (w) => ({ path: `/api/companies?ownerId=${w.bravo.ownerId}` }), cookie: 'an empty page', key: 'an empty page' },
  { name: "counts its companies owned by B's owner", route: 'GET /api/companies/count', reference: 'query.ownerId', send: (w) => ({ path: `/api/companies/count?ownerId=${w.bravo.ownerId}` }), cookie: 'a count of none', key: 'a count of none' },
  { name: "exports its companies owned by B's owner", route: 'GET /api/companies/export', reference: 'query.ownerId', send: (w) => ({ path: `/api/companies/export?ownerId=${w.bravo.ownerId}` }), cookie: 'a file of no rows', key: 'a file of no rows' },

  // saved views belong to members: a key has none (403) whatever the id
  { name: "renames B's shared view", route: 'PATCH /api/views/{id}', reference: 'path.id', send: (w) => ({ path: `/api/views/${w.bravo.viewId}`, body: { name: 'Hijacked' } }), cookie: notFound, key: forbiddenToKeys },
  { name: "deletes B's shared view", route: 'DELETE /api/views/{id}', reference: 'path.id', send: (w) => ({ path: `/api/views/${w.bravo.viewId}` }), cookie: notFound, key: forbiddenToKeys },

  // bulk operations
  { name: "reads the progress of B's bulk tagging", route: 'GET /api/bulk-operations/{id}', reference: 'path.id', send: (w) => ({ path: `/api/bulk-operations/${w.bravo.taggingId}` }), cookie: notFound, key: notFound },
  { name: "undoes B's bulk delete", route: 'POST /api/bulk-operations/{id}/undo', reference: 'path.id', send: (w) => ({ path: `/api/bulk-operations/${w.bravo.bulkDeleteId}/undo` }), cookie: notFound, key: notFound },

  // segmentation
  { name: "reads the progress of B's segmentation run", route: 'GET /api/segmentation/runs/{id}', reference: 'path.id', send: (w) => ({ path: `/api/segmentation/runs/${w.bravo.runId}` }), cookie: notFound, key: notFound },
  { name: "reads the customer insights of B's contact", route: 'GET /api/contacts/{id}/insights', reference: 'path.id', send: (w) => ({ path: `/api/contacts/${w.bravo.contactId}/insights` }), cookie: notFound, key: notFound },
  // segments
  { name: "reads B's segment", route: 'GET /api/segments/{id}', reference: 'path.id', send: (w) => ({ path: `/api/segments/${w.bravo.segmentId}` }), cookie: notFound, key: notFound },
  { name: "redefines B's segment", route: 'PATCH /api/segments/{id}', reference: 'path.id', send: (w) => ({ path: `/api/segments/${w.bravo.segmentId}`, body: { definition: { type: 'group', op: 'and', children: [] } } }), cookie: notFound, key: notFound },
  { name: "trashes B's segment", route: 'DELETE /api/segments/{id}', reference: 'path.id', send: (w) => ({ path: `/api/segments/${w.bravo.segmentId}` }), cookie: notFound, key: notFound },
  { name: "replays B's webhook event (ids in the body)", route: 'POST /api/webhook-events/replay', reference: 'body.ids', send: (w) => ({ path: '/api/webhook-events/replay', body: { ids: [w.bravo.webhookEventId] } }), cookie: invalidReference, key: forbiddenToKeys },
  { name: "reads B's received webhook event", route: 'GET /api/webhook-events/{id}', reference: 'path.id', send: (w) => ({ path: `/api/webhook-events/${w.bravo.webhookEventId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "reads B's webhook subscription", route: 'GET /api/webhook-subscriptions/{id}', reference: 'path.id', send: (w) => ({ path: `/api/webhook-subscriptions/${w.bravo.subscriptionId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "points B's webhook subscription elsewhere", route: 'PATCH /api/webhook-subscriptions/{id}', reference: 'path.id', send: (w) => ({ path: `/api/webhook-subscriptions/${w.bravo.subscriptionId}`, body: { url: 'https://attacker.example.com/' } }), cookie: notFound, key: forbiddenToKeys },
  { name: "re-enables B's webhook subscription", route: 'POST /api/webhook-subscriptions/{id}/enable', reference: 'path.id', send: (w) => ({ path: `/api/webhook-subscriptions/${w.bravo.subscriptionId}/enable` }), cookie: notFound, key: forbiddenToKeys },
  { name: "rotates B's webhook subscription secret", route: 'POST /api/webhook-subscriptions/{id}/rotate-secret', reference: 'path.id', send: (w) => ({ path: `/api/webhook-subscriptions/${w.bravo.subscriptionId}/rotate-secret`, body: {} }), cookie: notFound, key: forbiddenToKeys },
  { name: "sends a test event to B's webhook subscription", route: 'POST /api/webhook-subscriptions/{id}/test', reference: 'path.id', send: (w) => ({ path: `/api/webhook-subscriptions/${w.bravo.subscriptionId}/test` }), cookie: notFound, key: forbiddenToKeys },
  { name: "removes B's webhook subscription", route: 'DELETE /api/webhook-subscriptions/{id}', reference: 'path.id', send: (w) => ({ path: `/api/webhook-subscriptions/${w.bravo.subscriptionId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "reads B's webhook delivery", route: 'GET /api/webhook-deliveries/{id}', reference: 'path.id', send: (w) => ({ path: `/api/webhook-deliveries/${w.bravo.deliveryId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "redelivers B's webhook delivery (ids in the body)", route: 'POST /api/webhook-deliveries/redeliver', reference: 'body.ids', send: (w) => ({ path: '/api/webhook-deliveries/redeliver', body: { ids: [w.bravo.deliveryId] } }), cookie: invalidReference, key: forbiddenToKeys },
  { name: "reads B's webhook source", route: 'GET /api/webhook-sources/{id}', reference: 'path.id', send: (w) => ({ path: `/api/webhook-sources/${w.bravo.sourceId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "turns off B's webhook source", route: 'PATCH /api/webhook-sources/{id}', reference: 'path.id', send: (w) => ({ path: `/api/webhook-sources/${w.bravo.sourceId}`, body: { enabled: false } }), cookie: notFound, key: forbiddenToKeys },
  { name: "rotates B's webhook secret", route: 'POST /api/webhook-sources/{id}/rotate-secret', reference: 'path.id', send: (w) => ({ path: `/api/webhook-sources/${w.bravo.sourceId}/rotate-secret`, body: {} }), cookie: notFound, key: forbiddenToKeys },
  { name: "removes B's webhook source", route: 'DELETE /api/webhook-sources/{id}', reference: 'path.id', send: (w) => ({ path: `/api/webhook-sources/${w.bravo.sourceId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "restores B's trashed segment", route: 'POST /api/segments/{id}/restore', reference: 'path.id', send: (w) => ({ path: `/api/segments/${w.bravo.trashedSegmentId}/restore` }), cookie: notFound, key: notFound },
  { name: "refreshes B's segment", route: 'POST /api/segments/{id}/refresh', reference: 'path.id', send: (w) => ({ path: `/api/segments/${w.bravo.segmentId}/refresh` }), cookie: notFound, key: notFound },
  { name: "reads the members of B's segment", route: 'GET /api/segments/{id}/members', reference: 'path.id', send: (w) => ({ path: `/api/segments/${w.bravo.segmentId}/members` }), cookie: notFound, key: notFound },
  { name: "reads who entered and left B's segment", route: 'GET /api/segments/{id}/changes', reference: 'path.id', send: (w) => ({ path: `/api/segments/${w.bravo.segmentId}/changes` }), cookie: notFound, key: notFound },
  // imports
  { name: "reads B's import", route: 'GET /api/imports/{id}', reference: 'path.id', send: (w) => ({ path: `/api/imports/${w.bravo.importId}` }), cookie: notFound, key: notFound },
  { name: "uploads a file into B's import", route: 'PUT /api/imports/{id}/file', reference: 'path.id', send: (w) => ({ path: `/api/imports/${w.bravo.importId}/file` }), cookie: notFound, key: notFound },
  { name: "starts B's import", route: 'POST /api/imports/{id}/start', reference: 'path.id', send: (w) => ({ path: `/api/imports/${w.bravo.importId}/start`, body: { mapping: ['email'], dedupe: 'update' } }), cookie: notFound, key: notFound },
  { name: "undoes B's import", route: 'POST /api/imports/{id}/undo', reference: 'path.id', send: (w) => ({ path: `/api/imports/${w.bravo.importId}/undo` }), cookie: notFound, key: notFound },
  { name: "downloads the rejected rows of B's import", route: 'GET /api/imports/{id}/rejects', reference: 'path.id', send: (w) => ({ path: `/api/imports/${w.bravo.importId}/rejects` }), cookie: notFound, key: notFound },

  // activities: the record a timeline hangs on is looked up like a path id,
  // so B's contact or company is a 404 whether named in the query or the body.
  { name: "reads the timeline of B's contact", route: 'GET /api/activities', reference: 'query.contactId', send: (w) => ({ path: `/api/activities?contactId=${w.bravo.contactId}` }), cookie: notFound, key: notFound },
  { name: "reads the timeline of B's company", route: 'GET /api/activities', reference: 'query.companyId', send: (w) => ({ path: `/api/activities?companyId=${w.bravo.companyId}` }), cookie: notFound, key: notFound },
  { name: "adds a note to B's contact (contactId in the body)", route: 'POST /api/activities', reference: 'body.contactId', send: (w) => ({ path: '/api/activities', body: { contactId: w.bravo.contactId, body: 'Planted note' } }), cookie: notFound, key: notFound },
  { name: "adds a note to B's company (companyId in the body)", route: 'POST /api/activities', reference: 'body.companyId', send: (w) => ({ path: '/api/activities', body: { companyId: w.bravo.companyId, body: 'Planted note' } }), cookie: notFound, key: notFound },
  { name: "edits B's note", route: 'PATCH /api/activities/{id}', reference: 'path.id', send: (w) => ({ path: `/api/activities/${w.bravo.noteId}`, body: { body: 'Hijacked' } }), cookie: notFound, key: notFound },
  { name: "deletes B's company note", route: 'DELETE /api/activities/{id}', reference: 'path.id', send: (w) => ({ path: `/api/activities/${w.bravo.companyNoteId}` }), cookie: notFound, key: notFound },
  { name: "reads the whole timeline of B's contact", route: 'GET /api/timeline', reference: 'query.contactId', send: (w) => ({ path: `/api/timeline?contactId=${w.bravo.contactId}` }), cookie: notFound, key: notFound },
  { name: "reads the whole timeline of B's company (its people's notes included)", route: 'GET /api/timeline', reference: 'query.companyId', send: (w) => ({ path: `/api/timeline?companyId=${w.bravo.companyId}` }), cookie: notFound, key: notFound },

  // settings
  { name: "relabels B's custom field", route: 'PATCH /api/custom-fields/{id}', reference: 'path.id', send: (w) => ({ path: `/api/custom-fields/${w.bravo.fieldId}`, body: { label: 'Hijacked' } }), cookie: notFound, key: forbiddenToKeys },
  { name: "deletes B's custom field", route: 'DELETE /api/custom-fields/{id}', reference: 'path.id', send: (w) => ({ path: `/api/custom-fields/${w.bravo.fieldId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "revokes B's invitation", route: 'DELETE /api/invitations/{id}', reference: 'path.id', send: (w) => ({ path: `/api/invitations/${w.bravo.invitationId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "revokes B's API key", route: 'DELETE /api/api-keys/{id}', reference: 'path.id', send: (w) => ({ path: `/api/api-keys/${w.bravo.keyId}` }), cookie: notFound, key: forbiddenToKeys },
  { name: "changes the role of B's member", route: 'PATCH /api/members/{userId}', reference: 'path.userId', send: (w) => ({ path: `/api/members/${w.bravo.memberId}`, body: { role: 'viewer' } }), cookie: notFound, key: forbiddenToKeys },
  { name: "removes B's member", route: 'DELETE /api/members/{userId}', reference: 'path.userId', send: (w) => ({ path: `/api/members/${w.bravo.memberId}` }), cookie: notFound, key: forbiddenToKeys },
  // Not a member looks the same as no such workspace; keys cannot switch at all.
  { name: "switches its session into B's workspace (workspaceId in the body)", route: 'POST /api/auth/switch-workspace', reference: 'body.workspaceId', send: (w) => ({ path: '/api/auth/switch-workspace', body: { workspaceId: w.bravo.workspaceId } }), cookie: notFound, key: { status: 401, code: 'unauthorized' } },
];

// The same request with B's id swapped for a well-formed id nobody issued.
function withNeverIssuedId(request: { path: string; body?: unknown }, bravo: Bravo) {
  let text = JSON.stringify(request);
  for (const id of Object.values(bravo)) {
    text = text.replaceAll(id, `${id.slice(0, id.indexOf('_'))}_01JD5X9Q2M7R4T8V6W3Y0Z1A2B`);
  }
  return JSON.parse(text) as { path: string; body?: unknown };
}
const essence = (res: Reply) => ({ status: res.status, body: res.json?.error ? { ...res.json.error, requestId: undefined } : res.json });

const describeOutcome = (o: Outcome) => (typeof o === 'string' ? `200 with ${o}` : `${o.status} ${o.code}`);
const attempts = rows.flatMap((row) =>
  (['cookie', 'key'] as const).map((via) => ({
    ...row,
    via,
    outcome: row[via],
    title: `${row.route}: A's ${via === 'cookie' ? 'owner' : 'write API key'} ${row.name} → ${describeOutcome(row[via])}`,
  })),
);

describe("A's owner and A's API key, given B's ids", () => {
  it("snapshots every row B has (so an unchanged snapshot means something)", async () => {
    const { bravo } = await twoWorkspaces();
    const rows = await rowsOf(bravo);
    const ids = (table: string) => rows[table]!.map((r) => JSON.parse(r).id ?? JSON.parse(r).userId).sort();
    expect(ids('contacts')).toEqual([bravo.contactId, bravo.trashedContactId, bravo.doomedContactId].sort());
    expect(ids('companies')).toEqual([bravo.companyId, bravo.trashedCompanyId].sort());
    expect(ids('activities')).toEqual([bravo.noteId, bravo.companyNoteId].sort());
    expect(ids('custom_field_definitions')).toEqual([bravo.fieldId]);
    expect(ids('invitations')).toContain(bravo.invitationId);
    expect(ids('api_keys')).toEqual([bravo.keyId]);
    expect(ids('memberships')).toEqual([bravo.ownerId, bravo.memberId].sort());
    expect(ids('users')).toEqual([bravo.ownerId, bravo.memberId].sort());
    expect(ids('workspaces')).toEqual([bravo.workspaceId]);
    expect(rows.sessions!.length).toBeGreaterThanOrEqual(2);
    expect(rows.audit_log!.length).toBeGreaterThan(0);
    expect(ids('saved_views')).toEqual([bravo.viewId]);
    expect(ids('products')).toEqual([bravo.productId, bravo.trashedProductId].sort());
    expect(ids('orders')).toEqual([bravo.orderId]);
    expect(rows.order_lines).toHaveLength(1);
    expect(ids('segments')).toEqual([bravo.segmentId, bravo.trashedSegmentId].sort());
    expect(rows.segment_members!.map((r) => JSON.parse(r).contactId)).toEqual([bravo.contactId]);
    expect(rows.segment_changes!.map((r) => JSON.parse(r).contactId)).toEqual([bravo.contactId]);
    expect(ids('bulk_operations')).toEqual([bravo.taggingId, bravo.bulkDeleteId].sort());
    expect(rows.bulk_operation_items!.map((r) => JSON.parse(r).recordId)).toEqual([bravo.doomedContactId]);
    expect(rows.record_tags!.map((r) => JSON.parse(r).recordId)).toEqual([bravo.contactId]);
    expect(ids('segmentation_runs')).toEqual([bravo.runId]);
    expect(ids('imports')).toEqual([bravo.importId]);
    expect(rows.import_chunks!.map((r) => JSON.parse(r).importId)).toEqual([bravo.importId]);
  });

  for (const { title, route, send, via, outcome } of attempts) {
    it(`${title}, and no row of B changes`, async () => {
      const w = await twoWorkspaces();
      const caller = via === 'cookie' ? w.alpha.owner.caller : w.alpha.key.caller;
      const method = route.split(' ')[0]!;
      const request = send(w);
      const bravoBefore = await rowsOf(w.bravo);
      const countsBefore = await tableRowCounts(t.db);

      const res = await caller.request(method, request.path, request.body === undefined ? {} : { body: request.body });

      if (outcome === 'an empty page') {
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        expect(res.json.data).toEqual([]);
      } else if (outcome === 'a file of no rows') {
        expect(res.status, res.text).toBe(200);
        expect(res.text.trimEnd().split('\r\n')).toHaveLength(1);
      } else if (outcome === 'a count of none') {
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        expect(res.json).toEqual({ count: 0, capped: false });
      } else {
        expectErrorReply(res, outcome.status, outcome.code);
      }
      expect(await rowsOf(w.bravo)).toEqual(bravoBefore);
      expect(await tableRowCounts(t.db)).toEqual(countsBefore);

      // Nothing in the answer tells B's record from one that never existed.
      const twin = withNeverIssuedId(request, w.bravo);
      const unknown = await caller.request(method, twin.path, twin.body === undefined ? {} : { body: twin.body });
      expect(essence(res)).toEqual(essence(unknown));
    });
  }

  it('has a row above for every id parameter in the OpenAPI document, so a new route cannot skip this suite', async () => {
    const doc = await openApiDocument(t.app);
    const covered = new Set(rows.map((r) => `${r.route} ${r.reference}`));
    const missing = idReferences(doc).filter((ref) => !covered.has(ref));
    expect(missing, 'operations taking an id with no isolation row').toEqual([]);
    // And no row names an operation the document does not have.
    const documented = new Set(idReferences(doc));
    expect([...covered].filter((ref) => !documented.has(ref))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// A's lists and searches never show B's rows.

type ListRow = {
  name: string;
  path: string;
  // The item's id field, the one of A's that must be listed (so an empty
  // list cannot pass by accident) and B's that must not.
  idOf: (item: any) => string;
  mine?: (w: World) => string;
  theirs: (w: World) => string[];
  key: 'allowed' | 'forbidden';
};

const lists: ListRow[] = [
  { name: 'contacts', path: '/api/contacts', idOf: (c) => c.id, mine: (w) => w.alpha.contact.id, theirs: (w) => [w.bravo.contactId, w.bravo.trashedContactId], key: 'allowed' },
  { name: 'contacts in the trash', path: '/api/contacts?deleted=true', idOf: (c) => c.id, theirs: (w) => [w.bravo.contactId, w.bravo.trashedContactId], key: 'allowed' },
  { name: "a contact search for a name only B has", path: '/api/contacts?q=Zebulon', idOf: (c) => c.id, theirs: (w) => [w.bravo.contactId], key: 'allowed' },
  { name: "a contact search for B's company name", path: '/api/contacts?q=bravonian', idOf: (c) => c.id, theirs: (w) => [w.bravo.contactId, w.bravo.trashedContactId], key: 'allowed' },
  { name: "a two-letter contact search (name prefix) matching only B", path: '/api/contacts?q=ze', idOf: (c) => c.id, theirs: (w) => [w.bravo.contactId], key: 'allowed' },
  { name: 'companies', path: '/api/companies', idOf: (c) => c.id, mine: (w) => w.alpha.company.id, theirs: (w) => [w.bravo.companyId, w.bravo.trashedCompanyId], key: 'allowed' },
  { name: 'companies in the trash', path: '/api/companies?deleted=true', idOf: (c) => c.id, theirs: (w) => [w.bravo.companyId, w.bravo.trashedCompanyId], key: 'allowed' },
  { name: "a company search for a name only B has", path: '/api/companies?q=bravonian', idOf: (c) => c.id, theirs: (w) => [w.bravo.companyId, w.bravo.trashedCompanyId], key: 'allowed' },
  { name: "a duplicate check for B's contact's email", path: '/api/duplicates/contacts?email=zebulon@bravonian.example', idOf: (d) => d.id, theirs: (w) => [w.bravo.contactId], key: 'allowed' },
  { name: "a duplicate check for B's company's domain", path: '/api/duplicates/companies?domain=bravonian.example', idOf: (d) => d.id, theirs: (w) => [w.bravo.companyId], key: 'allowed' },
  { name: "a duplicate check for B's company's website", path: '/api/duplicates/companies?website=https://www.bravonian.example/', idOf: (d) => d.id, theirs: (w) => [w.bravo.companyId], key: 'allowed' },
  { name: 'products', path: '/api/products', idOf: (p) => p.id, mine: (w) => w.alpha.product.id, theirs: (w) => [w.bravo.productId, w.bravo.trashedProductId], key: 'allowed' },
  { name: 'products in the trash', path: '/api/products?deleted=true', idOf: (p) => p.id, theirs: (w) => [w.bravo.productId, w.bravo.trashedProductId], key: 'allowed' },
  { name: "a product search for a SKU only B has", path: '/api/products?q=BRV', idOf: (p) => p.id, theirs: (w) => [w.bravo.productId], key: 'allowed' },
  { name: "an order search for B's shop id", path: '/api/orders?q=BRV-ORDER', idOf: (o) => o.id, theirs: (w) => [w.bravo.orderId], key: 'allowed' },
  { name: 'the contacts tag vocabulary', path: '/api/contacts/tags', idOf: (t) => t.tag, mine: () => 'alpine', theirs: () => ['Bravonian'], key: 'allowed' },
  { name: 'saved views of contacts', path: '/api/views?entity=contact', idOf: (v) => v.id, mine: (w) => w.alpha.view.id, theirs: (w) => [w.bravo.viewId], key: 'forbidden' },
  { name: 'segments', path: '/api/segments', idOf: (s) => s.id, mine: (w) => w.alpha.segment.id, theirs: (w) => [w.bravo.segmentId], key: 'allowed' },
  { name: 'custom fields', path: '/api/custom-fields', idOf: (f) => f.id, mine: (w) => w.alpha.field.id, theirs: (w) => [w.bravo.fieldId], key: 'allowed' },
  { name: 'members', path: '/api/members', idOf: (m) => m.userId, mine: (w) => w.alpha.owner.userId, theirs: (w) => [w.bravo.ownerId, w.bravo.memberId], key: 'forbidden' },
  { name: 'API keys', path: '/api/api-keys', idOf: (k) => k.id, mine: (w) => w.alpha.key.id, theirs: (w) => [w.bravo.keyId], key: 'forbidden' },
  { name: 'segmentation runs', path: '/api/segmentation/runs', idOf: (r) => r.id, mine: (w) => w.alpha.run.id, theirs: (w) => [w.bravo.runId], key: 'allowed' },
  { name: 'received webhook events', path: '/api/webhook-events', idOf: (e) => e.id, theirs: (w) => [w.bravo.webhookEventId], key: 'forbidden' },
  { name: 'webhook subscriptions', path: '/api/webhook-subscriptions', idOf: (s) => s.id, mine: (w) => w.alpha.subscription.id, theirs: (w) => [w.bravo.subscriptionId], key: 'forbidden' },
  { name: 'webhook deliveries', path: '/api/webhook-deliveries', idOf: (d) => d.id, theirs: (w) => [w.bravo.deliveryId], key: 'forbidden' },
  { name: 'webhook sources', path: '/api/webhook-sources', idOf: (s) => s.id, mine: (w) => w.alpha.source.id, theirs: (w) => [w.bravo.sourceId], key: 'forbidden' },
  { name: 'imports', path: '/api/imports', idOf: (i) => i.id, mine: (w) => w.alpha.import.id, theirs: (w) => [w.bravo.importId], key: 'allowed' },
  { name: 'invitations', path: '/api/invitations', idOf: (i) => i.id, mine: (w) => w.alpha.invitation.id, theirs: (w) => [w.bravo.invitationId], key: 'forbidden' },
];

const listings = lists.flatMap((row) =>
  (['cookie', 'key'] as const).map((via) => ({
    ...row,
    via,
    title:
      via === 'key' && row.key === 'forbidden'
        ? `GET ${row.path}: A's write API key may not list ${row.name} at all (403)`
        : `GET ${row.path}: A's ${via === 'cookie' ? 'owner' : 'write API key'} sees no row of B in ${row.name}`,
  })),
);

describe("A's lists", () => {
  for (const { title, path, idOf, mine, theirs, via, key } of listings) {
    it(title, async () => {
      const w = await twoWorkspaces();
      const caller = via === 'cookie' ? w.alpha.owner.caller : w.alpha.key.caller;
      const res = await caller.get(path);
      if (via === 'key' && key === 'forbidden') {
        expectErrorReply(res, 403, 'forbidden');
        return;
      }
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const ids: string[] = res.json.data.map(idOf);
      if (mine) expect(ids).toContain(mine(w));
      for (const id of theirs(w)) expect(ids).not.toContain(id);
      expect(JSON.stringify(res.json)).not.toMatch(/Bravo|Zebulon|Quaxley|shoe_size/);
    });
  }
});

// An export holds A's records and none of B's.
describe("A's exports", () => {
  for (const [path, mine] of [
    ['/api/contacts/export?columns=name&columns=email&columns=company&columns=tags', 'Alma'],
    ['/api/companies/export?columns=name&columns=domain', 'Alpha Anvils'],
    ['/api/products/export', 'Alpine horn'],
    ['/api/orders/export?columns=customer&columns=lines', 'Alma'],
  ] as const) {
    for (const via of ['cookie', 'key'] as const) {
      it(`GET ${path.split('?')[0]}: A's ${via === 'cookie' ? 'owner' : 'write API key'} gets its own rows and none of B's`, async () => {
        const w = await twoWorkspaces();
        const res = await (via === 'cookie' ? w.alpha.owner.caller : w.alpha.key.caller).get(path);
        expect(res.status, res.text).toBe(200);
        expect(res.text).toContain(mine);
        expect(res.text).not.toMatch(/Bravo|Zebulon|Quaxley/);
      });
    }
  }
});

// ---------------------------------------------------------------------------
// A bulk action's selection names records, by id or by a filter: B's are
// simply not among those it matches (as ids nobody issued would not be).

const bulkAttempts: { name: string; path: string; body: (w: World) => unknown }[] = [
  { name: "tags B's contact, named by id", path: '/api/contacts/bulk', body: (w) => ({ selection: { ids: [w.bravo.contactId] }, action: { type: 'addTags', tags: ['hijacked'] } }) },
  { name: "deletes B's contact, named by id", path: '/api/contacts/bulk', body: (w) => ({ selection: { ids: [w.bravo.contactId] }, action: { type: 'delete' } }) },
  { name: "sets the stage of every contact at B's company", path: '/api/contacts/bulk', body: (w) => ({ selection: { filter: { companyId: w.bravo.companyId } }, action: { type: 'setStage', lifecycleStage: 'customer' } }) },
  { name: "removes B's tag from every contact having it", path: '/api/contacts/bulk', body: () => ({ selection: { filter: { tag: ['Bravonian'] } }, action: { type: 'removeTags', tags: ['Bravonian'] } }) },
  { name: "gives B's company to nobody, named by id", path: '/api/companies/bulk', body: (w) => ({ selection: { ids: [w.bravo.companyId] }, action: { type: 'setOwner', ownerId: null } }) },
  { name: "restores B's trashed company by deleting it again", path: '/api/companies/bulk', body: (w) => ({ selection: { ids: [w.bravo.trashedCompanyId] }, action: { type: 'delete' } }) },
  { name: "takes B's product off sale, named by id", path: '/api/products/bulk', body: (w) => ({ selection: { ids: [w.bravo.productId] }, action: { type: 'setActive', active: false } }) },
  { name: "deletes every order of B's contact", path: '/api/orders/bulk', body: (w) => ({ selection: { filter: { contactId: w.bravo.contactId } }, action: { type: 'delete' } }) },
];

describe("A's bulk actions, given B's ids or filters", () => {
  for (const attempt of bulkAttempts) {
    for (const via of ['cookie', 'key'] as const) {
      it(`A's ${via === 'cookie' ? 'owner' : 'write API key'} ${attempt.name}: nothing matches, and no row of B changes`, async () => {
        const w = await twoWorkspaces();
        const caller = via === 'cookie' ? w.alpha.owner.caller : w.alpha.key.caller;
        const bravoBefore = await rowsOf(w.bravo);
        const res = await caller.post(attempt.path, attempt.body(w));
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        expect(res.json).toMatchObject({ status: 'done', total: 0, processed: 0, changed: 0 });
        expect(await rowsOf(w.bravo)).toEqual(bravoBefore);
      });
    }
  }
});

// ---------------------------------------------------------------------------
// A segment's definition names values, not records: B's tag, company or
// owner select none of A's contacts, and A's refresh moves none of B's.

describe("A's segments, given B's values", () => {
  const where = (field: string, operator: string, value: unknown) => ({ type: 'group', op: 'or', children: [{ type: 'condition', field, operator, value }] });
  for (const via of ['cookie', 'key'] as const) {
    it(`A's ${via === 'cookie' ? 'owner' : 'write API key'} previews B's tag, company and owner: a count of none, and no row of B changes`, async () => {
      const w = await twoWorkspaces();
      const caller = via === 'cookie' ? w.alpha.owner.caller : w.alpha.key.caller;
      const bravoBefore = await rowsOf(w.bravo);
      for (const definition of [
        where('contact.tags', 'any_of', ['Bravonian']),
        where('contact.company', 'is', w.bravo.companyId),
        where('contact.owner', 'any_of', [w.bravo.ownerId, w.bravo.memberId]),
        where('contact.name', 'contains', 'Zebulon'),
      ]) {
        const res = await caller.post('/api/segments/preview', { definition });
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        expect(res.json).toEqual({ count: 0, capped: false, contacts: [] });
      }
      const everyone = await caller.post('/api/segments/preview', { definition: { type: 'group', op: 'and', children: [] } });
      expect(everyone.json.contacts.map((c: { id: string }) => c.id)).toEqual([w.alpha.contact.id]);
      const refreshed = await caller.post(`/api/segments/${w.alpha.segment.id}/refresh`);
      expect(refreshed.json).toMatchObject({ entered: 1, left: 0, memberCount: 1 });
      expect(await rowsOf(w.bravo)).toEqual(bravoBefore);
    });
  }
});
