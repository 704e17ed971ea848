import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

// The Node host's static web app (web/build), served the way a CDN would:
//
// - compressed: the web build writes a .br and a .gz beside each text file
//   (adapter-static's precompress, best quality, once at build time); a
//   compressible file without them is compressed here once, at start. The
//   variant is chosen by Accept-Encoding (RFC 9110 §12.5.3: brotli, then
//   gzip, never one the client gave q=0) and every compressible answer says
//   `Vary: Accept-Encoding`, so a shared cache keeps them apart.
// - cacheable: every answer carries an ETag and answers a matching
//   If-None-Match with 304 and no body. How long a browser may keep a file
//   is build/_headers' business (functions/node/static-headers.ts): hashed
//   files under /_app/immutable/ for a year, immutably; everything else
//   `no-cache` (set here), i.e. kept but revalidated, which costs a 304.
//
// The whole site is read into memory at start (a few MB): files change only
// with a new build, which comes with a restart.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt', '.xml', '.webmanifest', '.wasm']);
// Below this, compressing at start is not worth it (the build's own
// precompressed copies are used whatever the size).
const MIN_COMPRESS_BYTES = 1024;
// Written by the build for other hosts' eyes, not for browsers: Cloudflare
// reads _headers; .assetsignore keeps the precompressed copies out of its upload.
const HIDDEN = new Set(['/_headers', '/.assetsignore']);

export type Encoding = 'br' | 'gzip' | 'identity';
type Variant = { body: Buffer; etag: string };
export type StaticFile = { type: string; compressible: boolean; variants: Partial<Record<Encoding, Variant>> };

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
  );
}

const etagOf = (body: Buffer, encoding: Encoding) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}${encoding === 'identity' ? '' : `-${encoding}`}"`;

/** Every file of the site by URL path, with its compressed variants. */
export function loadStaticSite(dir: string): Map<string, StaticFile> {
  const files = walk(dir);
  const present = new Set(files);
  const site = new Map<string, StaticFile>();
  for (const file of files) {
    if ((file.endsWith('.br') || file.endsWith('.gz')) && present.has(file.slice(0, -3))) continue;
    const path = `/${relative(dir, file).split(sep).join('/')}`;
    if (HIDDEN.has(path)) continue;
    const ext = extname(file).toLowerCase();
    const identity = readFileSync(file);
    const compressible = COMPRESSIBLE.has(ext);
    const variants: StaticFile['variants'] = { identity: { body: identity, etag: etagOf(identity, 'identity') } };
    if (compressible) {
      const worthIt = identity.byteLength >= MIN_COMPRESS_BYTES;
      const br = present.has(`${file}.br`)
        ? readFileSync(`${file}.br`)
        : worthIt && brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
      const gzip = present.has(`${file}.gz`) ? readFileSync(`${file}.gz`) : worthIt && gzipSync(identity);
      // A variant that does not save anything is not worth a Vary.
      if (br && br.byteLength < identity.byteLength) variants.br = { body: br, etag: etagOf(identity, 'br') };
      if (gzip && gzip.byteLength < identity.byteLength) variants.gzip = { body: gzip, etag: etagOf(identity, 'gzip') };
    }
    site.set(path, { type: TYPES[ext] ?? 'application/octet-stream', compressible, variants });
  }
  return site;
}

/**
 * The encoding to send, from an Accept-Encoding header and the variants at
 * hand: the best-compressing one the client accepts (q > 0), else identity.
 * `*` stands for any encoding not named; identity is acceptable unless
 * refused by name or by `*;q=0`, and then sent all the same (RFC 9110 allows
 * a 406, which helps nobody here).
 */
export function chooseEncoding(header: string | undefined, available: readonly Encoding[]): Encoding {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (encoding: Encoding) => weights.get(encoding) ?? weights.get('*') ?? (encoding === 'identity' ? 1 : 0);
  for (const encoding of ['br', 'gzip'] as const) {
    if (available.includes(encoding) && weight(encoding) > 0) return encoding;
  }
  return 'identity';
}

/** Does an If-None-Match header name one of these entity tags (weak comparison, RFC 9110 §13.1.2)? */
export function matchesEtag(header: string | undefined, etags: string[]): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = new Set(etags.map(bare));
  return header.split(',').some((tag) => wanted.has(bare(tag)));
}

/**
 * Serves the site in `dir`. A path with no file is the SPA's: index.html,
 * whose router shows the page, except under /_app/, where a missing file is
 * a 404 (a page still open from an older build asking for a chunk that is
 * gone must fail loudly, not parse HTML as JavaScript).
 */
export function staticSite(dir: string, options: { fallback: string } = { fallback: '/index.html' }): MiddlewareHandler {
  const site = loadStaticSite(dir);
  const fallback = site.get(options.fallback);
  if (!fallback) throw new Error(`The web app (${join(dir, options.fallback)}) is missing: run \`npm run build:web\``);
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.text('Bad request', 400);
    }
    const file = site.get(path) ?? (path.startsWith('/_app/') ? undefined : fallback);
    if (!file) return c.text('Not found', 404, { 'cache-control': 'no-store' });

    const available = Object.keys(file.variants) as Encoding[];
    const encoding = chooseEncoding(c.req.header('accept-encoding'), available);
    const variant = file.variants[encoding]!;
    const headers: Record<string, string> = { etag: variant.etag, 'cache-control': 'no-cache' };
    if (available.length > 1) headers.vary = 'Accept-Encoding';
    if (matchesEtag(c.req.header('if-none-match'), available.map((e) => file.variants[e]!.etag))) {
      return c.body(null, 304, headers);
    }
    headers['content-type'] = file.type;
    headers['content-length'] = String(variant.body.byteLength);
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    // Hono answers HEAD through this GET and drops the body itself.
    return c.body(new Uint8Array(variant.body), 200, headers);
  };
}
