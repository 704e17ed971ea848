import type { ContentfulStatusCode } from 'hono/utils/http-status';

// Services throw these; functions/routes/errors.ts renders every one as
// { error: { code, message, details, requestId } }.
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
export const forbidden = (message = 'You do not have permission to do this') =>
  new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'Sign in or send an API key') => new AppError(401, 'unauthorized', message);
export const invalid = (message: string, details?: unknown) => new AppError(422, 'invalid', message, details);
