import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, importChunks, importItems } from '../../db/schema';
import { runMaintenance } from '../../functions/jobs/maintenance';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { drainMaintenance, maintenanceDeps } from '../fixtures/maintenance';
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

const drain = () => drainMaintenance(t);

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

describe('what the night forgets of imports', () => {
  const nightly = (workspaceId: string) =>
    runMaintenance(maintenanceDeps(t), { type: 'purge-deleted', workspaceId });
  const rowsOf = async (table: typeof importChunks | typeof importItems, importId: string) =>
    (await t.db.select().from(table).where(eq(table.importId, importId))).length;

  it('deletes a file never started after a day, and an import\'s ledger after the undo window, and then refuses its Undo', async () => {
    const m = await aMember(t.app);
    const other = await aMember(t.app);
    const idle = await upload(m, 'first name,email\nIdle,idle@example.com\n');
    const othersIdle = await upload(other, 'first name,email\nIdle,idle@example.com\n');
    const done = await importFile(m, 'first name,email\nKept,kept@example.com\n');
    expect(await rowsOf(importItems, done.id)).toBe(1);
    const shown = (await m.caller.get(`/api/imports/${done.id}`)).json;
    expect(Date.parse(shown.undoUntil) - Date.parse(shown.finishedAt)).toBe(t.deps.config.undoWindowMs);
    expect((await m.caller.get('/api/imports')).json.data.find((i: { id: string }) => i.id === done.id).undoUntil).toBe(shown.undoUntil);
    expect((await m.caller.get(`/api/imports/${idle.id}`)).json.undoUntil).toBeNull();

    t.clock.now += 2 * DAY;
    await nightly(m.workspaceId);
    expect((await m.caller.get(`/api/imports/${idle.id}`)).json).toMatchObject({ status: 'failed', error: expect.stringMatching(/Never started/) });
    expect(await rowsOf(importChunks, idle.id)).toBe(0);
    expect(await rowsOf(importChunks, othersIdle.id)).toBeGreaterThan(0);
    expect(await rowsOf(importItems, done.id)).toBe(1);

    t.clock.now += 29 * DAY;
    // A continuation of the night's purge does not forget again.
    await runMaintenance(maintenanceDeps(t), { type: 'purge-deleted', workspaceId: m.workspaceId, cutoff: t.clock.now });
    expect(await rowsOf(importItems, done.id)).toBe(1);
    await nightly(m.workspaceId);
    expect(await rowsOf(importItems, done.id)).toBe(0);
    // A month on, the session has expired too.
    expect((await m.caller.post('/api/auth/sign-in', { email: m.email, password: 'correct horse battery' })).status).toBe(200);
    await m.caller.refreshCsrf();
    const undo = await m.caller.post(`/api/imports/${done.id}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.json.error.message).toMatch(/undo window/);
    expect((await m.caller.get(`/api/imports/${done.id}`)).json.status).toBe('done');
  });
});

// The file's bytes as they are, through the app (the caller sends text).
async function putBytes(m: Member, id: string, body: Uint8Array | string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const res = await t.app.request(`http://localhost/api/imports/${id}/file`, {
    method: 'PUT',
    headers: { cookie: m.caller.sessionCookie, 'x-csrf-token': m.caller.csrf, 'content-type': 'text/csv', ...headers },
    body: body as BodyInit,
    // @ts-expect-error Node's fetch needs this for a stream body
    duplex: 'half',
  });
  return { status: res.status, json: (await res.json()) as any };
}

describe('a broken file', () => {
  const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));
  const cases: [string, Uint8Array, RegExp, number | null][] = [
    ['bytes that are not UTF-8 (Latin-1)', bytes('name,email\nAda,ada@example.com\nJos', [0xe9], ',jose@example.com\n'), /Line 3 .*not UTF-8/, 3],
    ['UTF-16 text', bytes([0xff, 0xfe], 'n\u0000a\u0000'), /UTF-16/, null],
    ['a quote left open', bytes('name,email\nAda,ada@example.com\n"Grace,grace@example.com\nAlan,alan@example.com\n'), /line 3 is never closed/, 3],
    ['no bytes at all', bytes(''), /empty/, null],
  ];
  for (const [name, body, message, line] of cases) {
    it(`with ${name} is refused with 422 naming the problem, and nothing of it is kept`, async () => {
      const m = await aMember(t.app);
      const made = await created(m.caller.post('/api/imports', { entity: 'contact', filename: 'broken.csv' }));
      const res = await putBytes(m, made.id, body);
      expect(res.status, JSON.stringify(res.json)).toBe(422);
      expect(res.json.error).toMatchObject({ code: 'invalid_file', message: expect.stringMatching(message) });
      if (line !== null) expect(res.json.error.details).toEqual({ line });
      const after = (await m.caller.get(`/api/imports/${made.id}`)).json;
      expect(after).toMatchObject({ status: 'failed', error: res.json.error.message, totalRows: 0 });
      expect(await t.db.select().from(importChunks).where(eq(importChunks.importId, made.id))).toEqual([]);
      expect((await m.caller.get('/api/contacts/count')).json.count).toBe(0);
      // A failed import cannot be started.
      expect((await m.caller.post(`/api/imports/${made.id}/start`, { mapping: ['firstName', 'email'], dedupe: 'skip' })).status).toBe(409);
    });
  }

  it('declaring a size over 50 MB is refused with 413 before it is read', async () => {
    const m = await aMember(t.app);
    const made = await created(m.caller.post('/api/imports', { entity: 'contact', filename: 'huge.csv' }));
    const res = await putBytes(m, made.id, 'name\nAda\n', { 'content-length': String(200 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('payload_too_large');
    expect((await m.caller.get(`/api/imports/${made.id}`)).json.status).toBe('failed');
  });

  it('streaming past 50 MB without saying so is cut off with 413, and what was stored is dropped', async () => {
    const m = await aMember(t.app);
    const made = await created(m.caller.post('/api/imports', { entity: 'contact', filename: 'huge.csv' }));
    const piece = new TextEncoder().encode('Ada,ada@example.com,a note of some length\n'.repeat(24_000));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 200 MB if it were all read.
        if (sent > 200 * 1024 * 1024) return controller.close();
        sent += piece.byteLength;
        controller.enqueue(piece);
      },
    });
    const res = await putBytes(m, made.id, body);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(52 * 1024 * 1024);
    expect(await t.db.select().from(importChunks).where(eq(importChunks.importId, made.id))).toEqual([]);
  }, 60_000);
});

describe('the import job', () => {
  const rowsOf = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `Person,Number${from + i},p${from + i}@example.com\n`).join('');

  it('writes each row once when its message is delivered twice, even at the same time', async () => {
    const m = await aMember(t.app);
    const { id } = await upload(m, `first name,last name,email\n${rowsOf(12_000)}`);
    t.sent.length = 0;
    await created(m.caller.post(`/api/imports/${id}/start`, { mapping: ['firstName', 'lastName', 'email'], dedupe: 'skip' }));
    const message = t.sent.splice(0)[0]!;
    const deps = maintenanceDeps(t);
    await Promise.all([runMaintenance(deps, message.body), runMaintenance(deps, message.body)]);
    await runMaintenance(deps, message.body);
    await drain();
    const result = (await m.caller.get(`/api/imports/${id}`)).json;
    expect(result).toMatchObject({ status: 'done', processed: 12_000, created: 12_000, skipped: 0, rejected: 0 });
    expect((await m.caller.get('/api/contacts/count')).json.count).toBe(10_000);
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(12_000);
    const items = await t.db.select().from(importItems).where(eq(importItems.importId, id));
    expect(items).toHaveLength(12_000);
  });

  it('a row repeating an email of an earlier row of the file updates the contact that row made', async () => {
    const m = await aMember(t.app);
    const result = await importFile(m, 'first name,email,tags\nAda,ada@example.com,a\nAugusta,ADA@example.com,b\n', { dedupe: 'update' });
    expect(result).toMatchObject({ created: 1, updated: 1 });
    const [ada] = (await m.caller.get('/api/contacts')).json.data;
    expect(ada).toMatchObject({ firstName: 'Augusta', tags: ['a', 'b'] });
  });

  it('imports 100,000 contacts completely', async () => {
    const m = await aMember(t.app);
    const started = Date.now();
    const result = await importFile(m, `first name,last name,email\n${rowsOf(100_000)}`, { mapping: ['firstName', 'lastName', 'email'] });
    const seconds = (Date.now() - started) / 1000;
    expect(result).toMatchObject({ status: 'done', totalRows: 100_000, processed: 100_000, created: 100_000, rejected: 0 });
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(100_000);
    expect((await m.caller.get('/api/contacts?q=number99999')).json.data).toHaveLength(1);
    console.log(`100k contacts imported in ${seconds.toFixed(1)} s (${Math.round(100_000 / seconds)} rows/s)`);
  }, 300_000);
});

describe('an import of companies', () => {
  it('matches on the domain, given or taken from the website', async () => {
    const m = await aMember(t.app);
    const acme = await created(m.caller.post('/api/companies', { name: 'Acme', domain: 'acme.example', tags: ['old'] }));
    const result = await importFile(m, 'Company name,Website,Employees,Tags\nAcme Corp,https://www.acme.example/about,"1,200",new\nInitech,initech.example,12,\nBroken,,lots,\n', { entity: 'company', dedupe: 'update' });
    expect(result).toMatchObject({ created: 1, updated: 1, rejected: 1 });
    expect((await m.caller.get(`/api/companies/${acme.id}`)).json).toMatchObject({ name: 'Acme Corp', employees: 1200, tags: ['old', 'new'], domain: 'acme.example' });
    const initech = (await m.caller.get('/api/companies?q=initech')).json.data[0];
    expect(initech).toMatchObject({ domain: 'initech.example', website: 'https://initech.example' });
  });
});

describe('GET /api/imports', () => {
  it('lists the workspace’s imports, newest first', async () => {
    const m = await aMember(t.app);
    const first = await importFile(m, 'email\na@example.com\n');
    t.clock.now += 1000;
    const second = await importFile(m, 'email\nb@example.com\n');
    const list = (await m.caller.get('/api/imports')).json.data;
    expect(list.map((i: { id: string }) => i.id)).toEqual([second.id, first.id]);
  });
});
