import { z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { JsonText } from '../services/json-views';
import { errorSchema } from './errors';

const error = (description: string) => ({ content: { 'application/json': { schema: errorSchema } }, description });

// The failures every endpoint can answer with, so the document lists them
// and the RPC client types them.
export const errorResponses = {
  400: error('The request is malformed or fails validation; nothing was changed'),
  401: error('Not signed in, or the API key is not valid'),
  403: error('Signed in, but this role or key may not do this'),
  404: error('No such record in this workspace'),
  409: error('Conflicts with the current state'),
  422: error('Well-formed but breaks a rule of the workspace'),
  429: error('Too many attempts'),
} as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const idParam = (prefix: string) =>
  z.object({
    id: z
      .string()
      .max(64)
      .regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `must be an id starting with ${prefix}_`)
      .openapi({ param: { name: 'id', in: 'path' }, example: `${prefix}_01JD5X9Q2M7R4T8V6W3Y0Z1A2B` }),
  });

export const security: Record<string, string[]>[] = [{ cookie: [] }, { bearer: [] }];

// Sends JSON text a service built in SQL (functions/services/json-views.ts)
// as it is, typed as c.json would type the same body, so the route's
// contract and the RPC client see no difference.
export function sendJson<T, S extends ContentfulStatusCode>(c: Context, body: JsonText<T>, status: S) {
  return c.body(body, status, { 'content-type': 'application/json' }) as unknown as Response &
    TypedResponse<JSONParsed<T>, S, 'json'>;
}
