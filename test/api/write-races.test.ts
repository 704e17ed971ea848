import type { Client } from '@libsql/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, companies, contacts, customFieldDefinitions, memberships } from '../../db/schema';
import { createDb } from '../../db/client';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { tableRowCounts } from '../fixtures/requests';

// A write reads what its checks need, then sends one batch; another request
// can change that state in between. These tests change it at exactly that
// moment (just before the write's batch reaches the database) and expect the
// write to be held back and answered as its check would have answered.

let t: TestApp;
let beforeNextBatch: (() => Promise<void>) | undefined;
beforeAll(async () => {
  t = await testApp();
  const client = (t.db as unknown as { $client: Client }).$client;
  const racing = new Proxy(client, {
    get(target, prop) {
      if (prop === 'batch') {
        return async (...args: Parameters<Client['batch']>) => {
          const meanwhile = beforeNextBatch;
          beforeNextBatch = undefined;
          await meanwhile?.();
          return target.batch(...args);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  t.deps.db = createDb(racing);
});
afterAll(() => t.close());
beforeEach(() => {
  beforeNextBatch = undefined;
});

/** Runs `change` on the database right before the next write batch, and reports what the call changed. */
async function racedBy(change: () => Promise<unknown>, call: () => Promise<{ status: number; json: any }>) {
  let raced = false;
  beforeNextBatch = async () => {
    await change();
    raced = true;
  };
  const before = await tableRowCounts(t.db);
  const reply = await call();
  expect(raced).toBe(true);
  return { reply, rowsAdded: diff(before, await tableRowCounts(t.db)) };
}

// Rows added (or removed, negative) per table, the race's own change included.
function diff(before: Record<string, number>, after: Record<string, number>) {
  return Object.fromEntries(Object.entries(after).flatMap(([table, n]) => (n === before[table] ? [] : [[table, n - before[table]!]])));
}

const trash = (id: string) => t.db.update(companies).set({ deletedAt: Date.now() }).where(eq(companies.id, id));

describe('a check that stops holding before the write', () => {
  it('a company put in the trash as a contact is linked to it: 422 naming companyId, nothing written', async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Vanishing Ltd' });
    const { reply, rowsAdded } = await racedBy(
      () => trash(company.json.id),
      () => caller.post('/api/contacts', aContact({ companyId: company.json.id })),
    );
    expect(reply.status).toBe(422);
    expect(reply.json.error.details).toEqual([expect.objectContaining({ path: 'companyId' })]);
    expect(rowsAdded).toEqual({});
  });

  it('an owner removed from the workspace as a contact is assigned to them: 422 naming ownerId, nothing written', async () => {
    const owner = await aMember(t.app);
    const colleague = await aMember(t.app);
    const invitation = await owner.caller.post('/api/invitations', { role: 'sales' });
    await colleague.caller.post('/api/invitations/accept', { token: invitation.json.token });
    await owner.caller.post('/api/custom-fields', { entity: 'contact', key: 'tier', label: 'Tier', type: 'text' });
    const contact = await owner.caller.post('/api/contacts', aContact());
    const leave = () =>
      t.db.delete(memberships).where(and(eq(memberships.workspaceId, owner.workspaceId), eq(memberships.userId, colleague.userId)));
    const { reply, rowsAdded } = await racedBy(leave, () =>
      owner.caller.patch(`/api/contacts/${contact.json.id}`, { ownerId: colleague.userId, customFields: { tier: 'gold' } }),
    );
    expect(reply.status).toBe(422);
    expect(reply.json.error.details).toEqual([expect.objectContaining({ path: 'ownerId' })]);
    expect(rowsAdded).toEqual({ memberships: -1 });
    expect((await owner.caller.get(`/api/contacts/${contact.json.id}`)).json).toMatchObject({ ownerId: owner.userId, customFields: {} });
  });

  it('a contact put in the trash while it is edited: 404, and the edit is not applied', async () => {
    const { caller } = await aMember(t.app);
    const contact = await caller.post('/api/contacts', aContact({ jobTitle: 'Before' }));
    const { reply, rowsAdded } = await racedBy(
      () => t.db.update(contacts).set({ deletedAt: Date.now() }).where(eq(contacts.id, contact.json.id)),
      () => caller.patch(`/api/contacts/${contact.json.id}`, { jobTitle: 'After' }),
    );
    expect(reply.status).toBe(404);
    expect(rowsAdded).toEqual({});
    const [row] = await t.db.select().from(contacts).where(eq(contacts.id, contact.json.id));
    expect(row!.jobTitle).toBe('Before');
  });

  it('a note on a contact purged as it is written: 404, no note', async () => {
    const { caller } = await aMember(t.app);
    const contact = await caller.post('/api/contacts', aContact());
    const { reply, rowsAdded } = await racedBy(
      () => t.db.delete(contacts).where(eq(contacts.id, contact.json.id)),
      () => caller.post('/api/activities', { contactId: contact.json.id, body: 'Too late' }),
    );
    expect(reply.status).toBe(404);
    // Its address leaves the email index (contact_emails) with it.
    expect(rowsAdded).toEqual({ contacts: -1, contact_emails: -1 });
  });
});

describe('what a write was computed from changes before it runs', () => {
  it("renaming a contact while another edit changes its last name: 409, and the other edit stands", async () => {
    const { caller } = await aMember(t.app);
    const contact = await caller.post('/api/contacts', aContact({ firstName: 'Ada', lastName: 'Byron' }));
    const { reply, rowsAdded } = await racedBy(
      () => t.db.update(contacts).set({ lastName: 'King' }).where(eq(contacts.id, contact.json.id)),
      () => caller.patch(`/api/contacts/${contact.json.id}`, { firstName: 'Augusta' }),
    );
    expect(reply.status).toBe(409);
    expect(rowsAdded).toEqual({});
    const [row] = await t.db.select().from(contacts).where(eq(contacts.id, contact.json.id));
    expect(row).toMatchObject({ firstName: 'Ada', lastName: 'King' });
  });

  it('linking a contact to a company renamed meanwhile: 409, since its search text would carry the old name', async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Old Name' });
    const contact = await caller.post('/api/contacts', aContact());
    const { reply } = await racedBy(
      () => t.db.update(companies).set({ name: 'New Name' }).where(eq(companies.id, company.json.id)),
      () => caller.patch(`/api/contacts/${contact.json.id}`, { companyId: company.json.id }),
    );
    expect(reply.status).toBe(409);
    expect((await caller.get(`/api/contacts/${contact.json.id}`)).json.companyId).toBeNull();
  });

  it('renaming a company while a contact is linked to it: the contact is found by the new name', async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Before Rename' });
    const latecomer = await caller.post('/api/contacts', aContact({ firstName: 'Late' }));
    // What a contact edit linking it would have written just before the rename.
    const linkWithOldName = async () => {
      const [row] = await t.db.select().from(contacts).where(eq(contacts.id, latecomer.json.id));
      await t.db
        .update(contacts)
        .set({ companyId: company.json.id, searchText: `${row!.searchText} before rename` })
        .where(eq(contacts.id, latecomer.json.id));
    };
    const { reply } = await racedBy(linkWithOldName, () => caller.patch(`/api/companies/${company.json.id}`, { name: 'After Rename' }));
    expect(reply.status).toBe(200);
    const found = await caller.get('/api/contacts?q=after%20rename');
    expect(found.json.data.map((c: { id: string }) => c.id)).toEqual([latecomer.json.id]);
    expect((await caller.get('/api/contacts?q=before%20rename')).json.data).toEqual([]);
  });

  it('purging a company renamed meanwhile: 409, nothing purged', async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Purge Me' });
    await caller.delete(`/api/companies/${company.json.id}`);
    const { reply, rowsAdded } = await racedBy(
      () => t.db.update(companies).set({ name: 'Renamed' }).where(eq(companies.id, company.json.id)),
      () => caller.post(`/api/companies/${company.json.id}/purge`),
    );
    expect(reply.status).toBe(409);
    expect(rowsAdded).toEqual({});
  });
});

describe('edits that do not depend on each other', () => {
  it('two custom fields edited at once: both values land', async () => {
    const { caller } = await aMember(t.app);
    for (const key of ['tier', 'seats']) {
      await caller.post('/api/custom-fields', { entity: 'contact', key, label: key, type: key === 'tier' ? 'text' : 'number' });
    }
    const contact = await caller.post('/api/contacts', aContact());
    const { reply } = await racedBy(
      () => caller.patch(`/api/contacts/${contact.json.id}`, { customFields: { seats: 12 } }).then((r) => expect(r.status).toBe(200)),
      () => caller.patch(`/api/contacts/${contact.json.id}`, { customFields: { tier: 'gold' } }),
    );
    expect(reply.status).toBe(200);
    expect(reply.json.customFields).toEqual({ tier: 'gold', seats: 12 });
  });
});

describe('two writes racing for one thing', () => {
  it('two fields created with one key at once: one 201, one 409, one definition', async () => {
    const { caller, workspaceId } = await aMember(t.app);
    const field = { entity: 'contact', key: 'twin', label: 'Twin', type: 'text' };
    const replies = await Promise.all([caller.post('/api/custom-fields', field), caller.post('/api/custom-fields', field)]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await t.db
      .select()
      .from(customFieldDefinitions)
      .where(and(eq(customFieldDefinitions.workspaceId, workspaceId), eq(customFieldDefinitions.key, 'twin')));
    expect(rows).toHaveLength(1);
    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.entityType, 'custom-field')));
    expect(audits).toHaveLength(1);
  });
});
