import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, importChunks, importItems, imports } from '../../db/schema';
import { runMaintenance } from '../../functions/jobs/maintenance';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';

// CSV import end to end: a file uploaded, mapped, run by the queue job (the
// test drains the queue as the host would), reported on and undone.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;
const DAY = 86_400_000;

// Runs every queued maintenance message (and those they send) to the end.
async function drain() {
  const deps = { db: t.db, now: () => t.clock.now, undoWindowMs: 30 * DAY, queues: t.deps.queues };
  for (let i = 0; i < 10_000; i++) {
    const next = t.sent.findIndex((s) => s.queue === 'maintenance');
    if (next === -1) return;
    const [message] = t.sent.splice(next, 1);
    await runMaintenance(deps, message!.body);
  }
  throw new Error('the queue did not drain');
}

async function upload(m: Member, text: string | Uint8Array, entity = 'contact', filename = 'people.csv') {
  const made = await created(m.caller.post('/api/imports', { entity, filename }));
  const res = await m.caller.request('PUT', `/api/imports/${made.id}/file`, { rawBody: text as string, headers: { 'content-type': 'text/csv' } });
  return { id: made.id as string, res };
}

async function importFile(m: Member, text: string, options: { entity?: string; dedupe?: 'update' | 'skip'; mapping?: (string | null)[] } = {}) {
  const { id, res } = await upload(m, text, options.entity);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const start = await m.caller.post(`/api/imports/${id}/start`, { mapping: options.mapping ?? res.json.suggestedMapping, dedupe: options.dedupe ?? 'skip' });
  expect(start.status, JSON.stringify(start.json)).toBe(202);
  await drain();
  return (await m.caller.get(`/api/imports/${id}`)).json;
}

describe('PUT /api/imports/{id}/file', () => {
  it('checks and stores the file, and answers headers, preview, row count, delimiter and a suggested mapping', async () => {
    const m = await aMember(t.app);
    const { res } = await upload(m, '\uFEFFFirst Name;Last name;E-mail;Notes\r\nAda;Lovelace;ada@example.com;"a; b"\r\nGrace;Hopper;grace@example.com;\r\n');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({
      status: 'uploaded',
      delimiter: ';',
      headers: ['First Name', 'Last name', 'E-mail', 'Notes'],
      preview: [
        ['Ada', 'Lovelace', 'ada@example.com', 'a; b'],
        ['Grace', 'Hopper', 'grace@example.com', ''],
      ],
      totalRows: 2,
      suggestedMapping: ['firstName', 'lastName', 'email', null],
    });
  });
});

describe('an import of contacts', () => {
  it('creates a contact per row, findable by search, and drops the stored file when done', async () => {
    const m = await aMember(t.app);
    const result = await importFile(m, 'name,email,tags\nAda Lovelace,ADA@example.com,vip; maths\nGrace Hopper,grace@example.com,\n');
    expect(result).toMatchObject({ status: 'done', processed: 2, created: 2, updated: 0, skipped: 0, rejected: 0 });
    const found = (await m.caller.get('/api/contacts?q=lovelace')).json.data;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', emails: [{ address: 'ada@example.com' }], tags: ['vip', 'maths'], ownerId: m.userId });
    expect((await m.caller.get('/api/contacts/count?tag=VIP')).json.count).toBe(1);
    expect(await t.db.select().from(importChunks).where(eq(importChunks.importId, result.id))).toEqual([]);
  });

  it('matches existing contacts by any of their emails: skip leaves them, update fills and merges', async () => {
    const m = await aMember(t.app);
    const ada = await created(m.caller.post('/api/contacts', aContact({ firstName: 'Ada', lastName: 'L', emails: [{ address: 'one@example.com' }, { address: 'ada@example.com' }], tags: ['old'] })));
    const file = 'first name,email,job title,tags\nAugusta,ADA@example.com,Countess,new\nNew,new@example.com,,\n';
    const skipped = await importFile(m, file, { dedupe: 'skip' });
    expect(skipped).toMatchObject({ created: 1, updated: 0, skipped: 1 });
    expect((await m.caller.get(`/api/contacts/${ada.id}`)).json.firstName).toBe('Ada');

    const updated = await importFile(m, file, { dedupe: 'update' });
    expect(updated).toMatchObject({ created: 0, updated: 2, skipped: 0 });
    const after = (await m.caller.get(`/api/contacts/${ada.id}`)).json;
    expect(after).toMatchObject({ firstName: 'Augusta', lastName: 'L', jobTitle: 'Countess', tags: ['old', 'new'] });
    expect(after.emails.map((e: { address: string }) => e.address)).toEqual(['one@example.com', 'ada@example.com']);
    expect((await m.caller.get('/api/contacts?q=augusta')).json.data.map((c: { id: string }) => c.id)).toEqual([ada.id]);
  });

  it('rejects bad and ragged rows with their line and reason, imports the rest, and reports them as CSV', async () => {
    const m = await aMember(t.app);
    const result = await importFile(m, 'name,email\nAda,ada@example.com\nBad,not-an-email\nRagged,r@example.com,extra\n"Multi\nline",=cmd()\nGrace,grace@example.com\n');
    expect(result).toMatchObject({ status: 'done', created: 2, rejected: 3 });
    const report = await m.caller.get(`/api/imports/${result.id}/rejects`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(report.headers.get('content-disposition')).toContain('people-rejected-rows.csv');
    // (text() drops the byte-order mark the file starts with.)
    expect(report.text).toBe(
      'Line,Reason,name,email\r\n' +
        '3,Email: Invalid email address,Bad,not-an-email\r\n' +
        '4,Has 3 fields where the header has 2,Ragged,r@example.com,extra\r\n' +
        '5,Email: Invalid email address,"Multi\nline",\'=cmd()\r\n',
    );
  });

  it('is undone: what it created goes to the trash, what it updated gets its values back', async () => {
    const m = await aMember(t.app);
    const ada = await created(m.caller.post('/api/contacts', aContact({ firstName: 'Ada', emails: [{ address: 'ada@example.com' }], tags: ['old'] })));
    const result = await importFile(m, 'first name,email,tags\nAugusta,ada@example.com,new\nNew,new@example.com,\n', { dedupe: 'update' });
    expect(result).toMatchObject({ created: 1, updated: 1 });
    const undo = await m.caller.post(`/api/imports/${result.id}/undo`);
    expect(undo.status, JSON.stringify(undo.json)).toBe(202);
    await drain();
    expect((await m.caller.get(`/api/imports/${result.id}`)).json.status).toBe('undone');
    expect((await m.caller.get(`/api/contacts/${ada.id}`)).json).toMatchObject({ firstName: 'Ada', tags: ['old'] });
    expect((await m.caller.get('/api/contacts?q=augusta')).json.data).toEqual([]);
    expect((await m.caller.get('/api/contacts?q=new@example')).json.data).toEqual([]);
    expect((await m.caller.get('/api/contacts?deleted=true')).json.data.map((c: { firstName: string }) => c.firstName)).toEqual(['New']);
    expect((await m.caller.post(`/api/imports/${result.id}/undo`)).status).toBe(409);
  });
});
