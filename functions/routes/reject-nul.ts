import { createMiddleware } from 'hono/factory';
import { AppError } from '../services/errors';
import type { AppEnv } from './env';

// SQLite text can hold U+0000, but libSQL clients read strings only up to
// it, so a stored "Ada\u0000Byron" would come back as "Ada" and break FTS
// queries. No field of ours has a use for it: refuse it anywhere in the
// query string or a JSON body, before anything is written.
//
// Every API request passes here, so the common case costs a substring
// search, no parsing: in a URL a NUL can only arrive percent-encoded
// (%00), and in JSON text only as the escape \u0000 (RFC 8259 §7 allows no
// raw control character in a string). Only text that holds one is parsed,
// to name the offending fields.
function nulPaths(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path.join('.')] : [];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k.includes('\u0000') ? [[...path, k].join('.')] : nulPaths(v, [...path, k])));
  }
  return [];
}

function queryNulPaths(url: string): string[] {
  const query = url.indexOf('?');
  if (query === -1 || !url.includes('%00', query)) return [];
  // Every occurrence: a repeated parameter reaches the validator as a list.
  return [...new URL(url).searchParams].flatMap(([key, value]) => (key.includes('\u0000') || value.includes('\u0000') ? [key] : []));
}

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const rejectNul = createMiddleware<AppEnv>(async (c, next) => {
  const paths = queryNulPaths(c.req.url);
  if (!BODILESS.has(c.req.method) && c.req.header('content-type')?.includes('json')) {
    // Hono caches the body, so the validator's own read reuses this one.
    const text = await c.req.text();
    if (text.includes('\\u0000')) {
      try {
        paths.push(...nulPaths(JSON.parse(text)));
      } catch {
        // Malformed JSON is the validator's to report.
      }
    }
  }
  if (paths.length) {
    throw new AppError(
      400,
      'invalid_request',
      'Text may not contain NUL (U+0000) characters',
      paths.map((path) => ({ path, message: 'contains a NUL character' })),
    );
  }
  await next();
});
