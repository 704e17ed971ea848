import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../functions/domain/csv/parse';
import { EXPORT_PAGE } from '../../functions/services/exports';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';
import { insertContacts } from '../fixtures/trash';

// GET /api/<list>/export: the list as filtered, streamed as CSV.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;

// The file's bytes (the caller's text() would drop the BOM) and its rows.
async function exported(m: Member, path: string) {
  const res = await t.app.request(`http://localhost${path}`, { headers: { cookie: m.caller.sessionCookie } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { res, bytes, rows: res.status === 200 ? parseCsv(text.slice(1), { delimiter: ',' }).records.map((r) => r.fields) : [] };
}

describe('GET /api/contacts/export', () => {
  it('holds exactly what the list holds for the same filter and sort, across many pages', async () => {
    const m = await aMember(t.app);
    await insertContacts(t.db, m.workspaceId, EXPORT_PAGE * 2 + 17, { at: t.clock.now, deletedAt: null, name: 'Paged' });
    await created(m.caller.post('/api/contacts', aContact({ firstName: 'Tagged', tags: ['vip'] })));
    const { res, bytes, rows } = await exported(m, '/api/contacts/export?q=paged&sort=-createdAt&columns=firstName&columns=lastName');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="contacts-2026-11-23.csv"');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows[0]).toEqual(['First name', 'Last name']);
    const listed: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await m.caller.get(`/api/contacts?q=paged&sort=-createdAt&limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json;
      listed.push(...page.data.map((c: any) => [c.firstName, c.lastName]));
      cursor = page.nextCursor;
    } while (cursor);
    expect(rows.slice(1)).toEqual(listed);
    expect(listed).toHaveLength(EXPORT_PAGE * 2 + 17);
  });

  it('neutralises cells a spreadsheet would run as formulas, and names the owner and custom fields', async () => {
    const m = await aMember(t.app);
    await created(m.caller.post('/api/custom-fields', { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['=gold', 'silver'] }));
    for (const firstName of ['=1+1', '+1', '-1', '@SUM(A1)', 'Plain'])
      await created(m.caller.post('/api/contacts', aContact({ firstName, lastName: 'Z', jobTitle: '=cmd|"/c calc"!A0', customFields: { tier: '=gold' } })));
    const { rows } = await exported(m, '/api/contacts/export?sort=name&columns=firstName&columns=jobTitle&columns=owner&columns=cf.tier&columns=nosuch');
    expect(rows[0]).toEqual(['First name', 'Job title', 'Owner', 'Tier']);
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(["'+1", "'-1", "'=1+1", "'@SUM(A1)", 'Plain'].sort());
    for (const row of rows.slice(1)) expect(row.slice(1)).toEqual(['\'=cmd|"/c calc"!A0', expect.stringMatching(/^Person \d+$/), "'=gold"]);
  });

  it('exports the trash when asked, and refuses a bad filter like the list does', async () => {
    const m = await aMember(t.app);
    const gone = await created(m.caller.post('/api/contacts', aContact({ firstName: 'Gone' })));
    await created(m.caller.post('/api/contacts', aContact({ firstName: 'Here' })));
    await m.caller.delete(`/api/contacts/${gone.id}`);
    expect((await exported(m, '/api/contacts/export?deleted=true&columns=firstName')).rows).toEqual([['First name'], ['Gone']]);
    expect((await exported(m, '/api/contacts/export?columns=firstName')).rows).toEqual([['First name'], ['Here']]);
    expect((await m.caller.get('/api/contacts/export?lifecycleStage=nonsense')).status).toBe(400);
  });
});

describe('GET /api/companies/export', () => {
  it('exports the default columns of the company list', async () => {
    const m = await aMember(t.app);
    await created(m.caller.post('/api/companies', { name: 'Acme', domain: 'acme.example', industry: 'Anvils', tags: ['a', 'b'] }));
    const { rows } = await exported(m, '/api/companies/export');
    expect(rows).toEqual([
      ['Name', 'Domain', 'Industry', 'People', 'Owner', 'Tags'],
      ['Acme', 'acme.example', 'Anvils', '0', expect.any(String), 'a; b'],
    ]);
  });
});

describe('GET /api/products/export and /api/orders/export', () => {
  it('hold the filtered catalogue and orders, amounts in major units as the import reads them', async () => {
    const m = await aMember(t.app);
    await created(m.caller.post('/api/products', { sku: 'MUG-1', name: 'Mug', category: 'Kitchen', price: 129900, currency: 'USD' }));
    await created(m.caller.post('/api/products', { sku: 'YEN-1', name: '=Yen thing', price: 1200, currency: 'JPY', active: false }));
    const products = await exported(m, '/api/products/export?active=true');
    expect(products.res.headers.get('content-disposition')).toBe('attachment; filename="products-2026-11-23.csv"');
    expect(products.rows).toEqual([
      ['SKU', 'Name', 'Category', 'Price', 'Currency', 'Active'],
      ['MUG-1', 'Mug', 'Kitchen', '1299.00', 'USD', 'yes'],
    ]);
    expect((await exported(m, '/api/products/export?active=false&columns=name&columns=price')).rows).toEqual([['Name', 'Price', 'Currency'], ["'=Yen thing", '1200', 'JPY']]);

    const ada = await created(m.caller.post('/api/contacts', aContact({ firstName: 'Ada', lastName: 'Lovelace' })));
    await created(m.caller.post('/api/orders', { contactId: ada.id, externalId: '#1001', currency: 'EUR', orderedAt: '2026-03-01T09:00:00Z', status: 'refunded', lines: [{ sku: 'MUG-1', quantity: 2, unitPrice: 1250 }] }));
    await created(m.caller.post('/api/orders', { contactId: ada.id, externalId: '#1002', currency: 'EUR', orderedAt: '2026-03-02T09:00:00Z', lines: [{ name: 'Tea', quantity: 1, unitPrice: 500 }] }));
    const orders = await exported(m, '/api/orders/export?status=refunded');
    expect(orders.rows).toEqual([
      ['Order number', 'Ordered at', 'Customer', 'Status', 'Currency', 'Total', 'Refunded', 'Lines'],
      ['#1001', '2026-03-01T09:00:00.000Z', 'Ada Lovelace', 'refunded', 'EUR', '25.00', '25.00', '2 × Mug (MUG-1)'],
    ]);
    // The list's own columns, as its page sends them.
    expect((await exported(m, '/api/orders/export?columns=name&columns=customer&columns=total&columns=lineCount')).rows).toEqual([
      ['Order', 'Customer', 'Total', 'Currency', 'Line count'],
      ['Order #1002', 'Ada Lovelace', '5.00', 'EUR', '1'],
      ['Order #1001', 'Ada Lovelace', '25.00', 'EUR', '1'],
    ]);
  });
});
