import { createMiddleware } from 'hono/factory';
import { AppError } from '../services/errors';
import type { AppEnv } from './env';

// SQLite text can hold U+0000, but libSQL clients read strings only up to
// it, so a stored "Ada\u0000Byron" would come back as "Ada" and break FTS
// queries. No field of ours has a use for it: refuse it anywhere in the
// query string or a JSON body, before anything is written.
function nulPaths(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path.join('.')] : [];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k.includes('\u0000') ? [[...path, k].join('.')] : nulPaths(v, [...path, k])));
  }
  return [];
}

export const rejectNul = createMiddleware<AppEnv>(async (c, next) => {
  const paths = nulPaths(Object.fromEntries(new URL(c.req.url).searchParams));
  if (c.req.header('content-type')?.includes('json')) {
    // Hono caches the body, so the validator's own parse reuses this read.
    const text = await c.req.text();
    try {
      paths.push(...nulPaths(JSON.parse(text)));
    } catch {
      // Malformed JSON is the validator's to report.
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
