import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('smoke', () => {
  it('signs up and creates a contact', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.post('/api/contacts', aContact());
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const list = await caller.get('/api/contacts?q=lovelace');
    expect(list.json.data).toHaveLength(1);
  });
});
