import { z, type Hook } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logError } from '../log';
import { AppError } from '../services/errors';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .openapi('Error');

type Rendered = { code: string; message: string; details?: unknown };

export function errorBody(c: Context, error: Rendered) {
  return { error: { ...error, requestId: c.get('requestId') as string | undefined } };
}

// zod issues as { path, message } pairs a client can show next to fields.
export function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
}

export const validationHook: Hook<any, any, any, any> = (result, c) => {
  if (!result.success) {
    return c.json(
      errorBody(c, { code: 'invalid_request', message: 'The request is not valid', details: issuesOf(result.error) }),
      400,
    );
  }
};

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const MAX_CAUSES = 5;

// True when a write broke a unique index or primary key: it lost a race to
// an equal write (two sign-ups with one email), which is the caller's
// conflict, not our failure. The file driver names the extended code; sqld
// over Hrana (the Worker, Turso) sends only the primary SQLITE_CONSTRAINT, so
// there the message says which constraint. drizzle wraps one statement's
// error in DrizzleQueryError (the driver's is its cause) but lets a batch's
// through as is. Matched on codes, not classes, so any driver that speaks
// SQLite's codes is understood.
export function isUniqueViolation(error: unknown): boolean {
  let current = error;
  for (let depth = 0; current instanceof Error && depth < MAX_CAUSES; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNIQUE_CODES.has(code)) return true;
    if (code === 'SQLITE_CONSTRAINT' && current.message.includes('UNIQUE constraint failed')) return true;
    current = current.cause;
  }
  return false;
}

export function renderError(err: Error, c: Context) {
  if (err instanceof AppError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    return c.json(errorBody(c, { code: err.code, message: err.message, details: err.details }), err.status);
  }
  if (err instanceof HTTPException) {
    // Hono's validator raises 400 for a body that is not JSON at all.
    const code = err.status === 400 ? 'malformed_request' : 'http_error';
    return c.json(errorBody(c, { code, message: err.message || 'Bad request' }), err.status);
  }
  if (isUniqueViolation(err)) {
    return c.json(errorBody(c, { code: 'conflict', message: 'This conflicts with something that already exists' }), 409);
  }
  logError({ requestId: c.get('requestId'), method: c.req.method, path: c.req.path }, err);
  return c.json(errorBody(c, { code: 'internal', message: 'Something went wrong on our side' }), 500);
}
