import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHost } from '../../functions/node';
import { freePort } from '../fixtures/ports';

// The Node host serves web/build as a CDN would: compressed by what the
// browser accepts, hashed files cached for a year, everything else
// revalidated with an ETag (functions/node/static-files.ts).
const BUILD = join(import.meta.dirname, '../../web/build');
let host: Awaited<ReturnType<typeof startNodeHost>>;
let base: string;
let dir: string;

beforeAll(async () => {
  if (!existsSync(join(BUILD, 'index.html'))) throw new Error('web/build is missing: run `npm run build:web` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'relate-static-'));
  const port = await freePort();
  host = await startNodeHost({ PORT: String(port), DATABASE_URL: `file:${join(dir, 'static.db')}`, SEED_DEMO: 'false' });
  base = `http://localhost:${port}`;
}, 60_000);
afterAll(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Node's fetch decompresses on its own; these ask for one encoding and read the bytes as sent.
async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const indexHtml = () => readFileSync(join(BUILD, 'index.html'));
// The largest script the page preloads: big enough to be worth compressing.
const anImmutableScript = () =>
  [...indexHtml().toString().matchAll(/<link href="(\/_app\/immutable\/[^"]+\.js)" rel="modulepreload">/g)]
    .map((m) => m[1]!)
    .sort((a, b) => statSync(join(BUILD, b)).size - statSync(join(BUILD, a)).size)[0]!;

describe('static files on the Node host', () => {
  it('sends brotli to a browser that takes it, gzip to one that takes only gzip, and plain bytes otherwise', async () => {
    const script = anImmutableScript();
    const plain = readFileSync(join(BUILD, script));

    const br = await get(script, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);
    expect(br.body.byteLength).toBeLessThan(plain.byteLength);

    const gz = await get(script, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain)).toBe(true);

    const refused = await get(script, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.equals(plain)).toBe(true);
    expect(Number(refused.headers['content-length'])).toBe(plain.byteLength);
  });

  it('compresses the SPA page on deep links too', async () => {
    const page = await get('/contacts/con_01JD5X9Q2M7R4T8V6W3Y0Z1A2B', { 'accept-encoding': 'br' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(brotliDecompressSync(page.body).equals(indexHtml())).toBe(true);
  });

  it('lets a browser keep hashed files for a year without asking again', async () => {
    const res = await get(anImmutableScript(), { 'accept-encoding': 'br' });
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('has every other file revalidated, and answers a revalidation of an unchanged file with 304 and no body', async () => {
    for (const path of ['/', '/sign-in', '/vendor/swagger-ui/swagger-ui.css']) {
      const first = await get(path, { 'accept-encoding': 'br' });
      expect(first.status, path).toBe(200);
      expect(first.headers['cache-control'], path).toBe('no-cache');
      const etag = first.headers.etag as string;
      expect(etag, path).toMatch(/^"[\w-]+"$/);

      const again = await get(path, { 'accept-encoding': 'br', 'if-none-match': etag });
      expect(again.status, path).toBe(304);
      expect(again.body.byteLength, path).toBe(0);
      expect(again.headers.etag, path).toBe(etag);
    }
    const stale = await get('/', { 'if-none-match': '"not-this-one"' });
    expect(stale.status).toBe(200);
  });

  it('answers a file a newer build dropped with a 404 that is not cached, not with the SPA page', async () => {
    const res = await get('/_app/immutable/chunks/gone-in-this-build.js', { 'accept-encoding': 'br' });
    expect(res.status).toBe(404);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('keeps the security headers on every file, and keeps the build files for other hosts to itself', async () => {
    for (const path of ['/', anImmutableScript()]) {
      const res = await get(path, { 'accept-encoding': 'br' });
      expect(res.headers['x-frame-options'], path).toBe('DENY');
      expect(res.headers['content-security-policy'], path).toMatch(/frame-ancestors 'none'/);
    }
    for (const path of ['/_headers', '/.assetsignore']) {
      const res = await get(path);
      expect(res.headers['content-type'], path).toMatch(/^text\/html/);
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await get(anImmutableScript(), { 'accept-encoding': 'br' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.body.byteLength).toBe(0);
  });
});

describe('the common-password list on the Node host', () => {
  it('is a file of the web build, and sign-up checks new passwords against it', async () => {
    const list = await get('/security/common-passwords.txt');
    expect(list.status).toBe(200);
    expect(list.body.toString()).toMatch(/^# relate common-passwords v1 from @zxcvbn-ts\/language-common/);
    const signUp = (password: string) =>
      fetch(`${base}/api/auth/sign-up`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `host-${Math.random().toString(36).slice(2)}@example.com`, password, name: 'Host', workspaceName: 'Static Co' }),
      });
    const refused = await signUp('sunshine2024!');
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('weak_password');
    expect((await signUp('lighthouse pebble anthem')).status).toBe(201);
  });
});
