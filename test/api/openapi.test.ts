import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, testApp, type TestApp } from '../fixtures/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('GET /api/openapi.json', () => {
  it('describes every route in OpenAPI 3.1, from the same zod schemas that validate requests', async () => {
    const res = await new Caller(t.app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/sign-up',
        '/api/contacts',
        '/api/contacts/{id}',
        '/api/contacts/{id}/restore',
        '/api/companies/{id}/purge',
        '/api/activities',
        '/api/custom-fields/{id}',
        '/api/members/{userId}',
        '/api/invitations/accept',
        '/api/api-keys/{id}',
      ]),
    );
    const contactCreate = doc.components.schemas.ContactCreate;
    expect(contactCreate.properties.lifecycleStage.enum).toContain('customer');
    expect(contactCreate.properties.firstName.maxLength).toBe(100);
    expect(contactCreate.additionalProperties).toBe(false);
    expect(doc.paths['/api/contacts'].get.responses['401'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Error',
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  // Account, workspace, members, invitations and onboarding; the other
  // areas' operations are held to the same by their own parts of issue 6.
  it('gives every account and workspace operation a summary and a description', async () => {
    const doc = (await new Caller(t.app).get('/api/openapi.json')).json;
    const areas = /^\/api\/(auth|workspace|members|invitations|onboarding)(\/|$)/;
    const undocumented = Object.entries<Record<string, { summary?: string; description?: string }>>(doc.paths)
      .filter(([path]) => areas.test(path))
      .flatMap(([path, operations]) => Object.entries(operations).map(([method, op]) => ({ op: `${method.toUpperCase()} ${path}`, ...op })))
      .filter((o) => !o.summary?.trim() || !o.description?.trim())
      .map((o) => o.op);
    expect(undocumented).toEqual([]);
  });

  it('serves a reference page at /api/docs that loads the document from our own origin', async () => {
    const res = await t.app.request('http://localhost/api/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("'/api/openapi.json'".replace(/'/g, '"'));
    expect(html).toContain('/vendor/swagger-ui/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves the reference page under a policy that runs only our scripts and its one inline script, by a fresh nonce', async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await t.app.request('http://localhost/api/docs');
      const policy = res.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'self' 'nonce-([\w+/=-]+)'/.exec(policy)?.[1];
      expect(nonce, policy).toBeDefined();
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await res.text();
      expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/vendor/swagger-ui/swagger-ui-bundle.js">', `<script nonce="${nonce}">`]);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});
