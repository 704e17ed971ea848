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
  logError({ requestId: c.get('requestId'), method: c.req.method, path: c.req.path }, err);
  return c.json(errorBody(c, { code: 'internal', message: 'Something went wrong on our side' }), 500);
}
