// Relative, not $functions/$lib: test/unit/web imports this file under the
// root tsconfig, which knows no SvelteKit aliases.
import type { AppType } from '../../../functions/app';
import { hasSignedInHint } from '../../../functions/domain/signed-in-hint';
import { hc, type ClientResponse, type InferRequestType, type InferResponseType } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';

const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// The session's CSRF token, learned from GET /api/auth/session. Every
// state-changing cookie request must echo it (functions/routes/authenticate.ts).
let csrfToken: string | null = null;

export function rememberCsrfToken(token: string | null) {
  csrfToken = token;
}

async function fetchCsrfToken(base: typeof fetch): Promise<string | null> {
  const res = await base('/api/auth/session', { credentials: 'same-origin' });
  csrfToken = res.ok ? ((await res.json()) as { csrfToken: string }).csrfToken : null;
  return csrfToken;
}

function send(base: typeof fetch, input: RequestInfo | URL, init: RequestInit | undefined, token: string | null) {
  const headers = new Headers(init?.headers);
  if (token) headers.set(CSRF_HEADER, token);
  return base(input, { ...init, headers, credentials: 'same-origin' });
}

// What a signed-out visitor may ask; anything else needs a session.
const PUBLIC_API = new Set(['/api/auth/sign-in', '/api/auth/sign-up', '/api/invitations/lookup']);

// Without the signed-in hint there is no session (functions/domain/
// signed-in-hint.ts), and a call that needs one can only be refused: it is
// answered here, as the server would, without a request. Page loads run
// beside the layout's, so a signed-out visit to /contacts would otherwise
// ask for contacts while the layout is sending it to the sign-in page.
function signedOutRefusal(input: RequestInfo | URL): Response | null {
  if (typeof document === 'undefined' || hasSignedInHint(document.cookie)) return null;
  const url = new URL(input instanceof Request ? input.url : String(input), location.href);
  if (!url.pathname.startsWith('/api/') || PUBLIC_API.has(url.pathname)) return null;
  const error = { code: 'unauthorized', message: 'Sign in first' };
  return new Response(JSON.stringify({ error }), { status: 401, headers: { 'content-type': 'application/json' } });
}

// The session can change under us (sign-in in another tab, expiry): a
// stale token gets one refresh and one retry instead of a confusing error.
function withCsrf(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const refused = signedOutRefusal(input);
    if (refused) return refused;
    const method = (init?.method ?? 'GET').toUpperCase();
    if (SAFE_METHODS.has(method)) return send(base, input, init, null);
    const res = await send(base, input, init, csrfToken);
    if (res.status !== 403) return res;
    const body = (await res.clone().json().catch(() => null)) as { error?: { code?: string } } | null;
    if (body?.error?.code !== 'csrf_failed') return res;
    return send(base, input, init, await fetchCsrfToken(base));
  };
}

// Load functions pass SvelteKit's `fetch` (which tracks what a page
// depends on); components use the default client.
export const apiWith = (base: typeof fetch) => hc<AppType>('/', { fetch: withCsrf(base) });
export const api = apiWith((input, init) => fetch(input, init));

type FieldIssue = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    // A 429's Retry-After: how many seconds until the server takes the request again.
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  // Messages keyed by field path ("emails.0.address"), for inputs to show
  // next to themselves.
  get fields(): Record<string, string> {
    return Object.fromEntries(this.details.map((d) => [d.path, d.message]));
  }
}

function issues(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is FieldIssue => typeof d?.path === 'string' && typeof d?.message === 'string',
  );
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: unknown };
  } | null;
  const error = body?.error;
  if (!error) return new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}`);
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ApiError(res.status, error.code ?? 'http_error', error.message ?? 'Request failed', issues(error.details), retryAfter > 0 ? retryAfter : null);
}

// Distributes over the route's response union and keeps the 2xx bodies.
type SuccessBody<R> =
  R extends ClientResponse<infer T, infer S, infer F>
    ? S extends SuccessStatusCode
      ? F extends 'json'
        ? T
        : undefined
      : never
    : never;

// Awaits an RPC call and returns its typed success body (undefined for 204),
// or throws ApiError; a network failure becomes an ApiError too, so forms
// have one thing to show.
export async function call<R extends ClientResponse<unknown, number, string>>(request: Promise<R>): Promise<SuccessBody<R>> {
  let res: R;
  try {
    res = await request;
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the server; check your connection and try again');
  }
  if (!res.ok) throw await toApiError(res as unknown as Response);
  return (res.status === 204 ? undefined : await res.json()) as SuccessBody<R>;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : 'Something went wrong';
}

export type Session = InferResponseType<typeof api.api.auth.session.$get, 200>;
export type Contact = InferResponseType<(typeof api.api.contacts)[':id']['$get'], 200>;
export type ContactUpdate = InferRequestType<(typeof api.api.contacts)[':id']['$patch']>['json'];
export type Company = InferResponseType<(typeof api.api.companies)[':id']['$get'], 200>;
export type CompanyUpdate = InferRequestType<(typeof api.api.companies)[':id']['$patch']>['json'];
export type Activity = InferResponseType<typeof api.api.activities.$get, 200>['data'][number];
export type CustomField = InferResponseType<(typeof api.api)['custom-fields']['$get'], 200>['data'][number];
export type Workspace = InferResponseType<typeof api.api.workspace.$get, 200>;
export type Member = InferResponseType<typeof api.api.members.$get, 200>['data'][number];
export type Invitation = InferResponseType<typeof api.api.invitations.$get, 200>['data'][number];
export type ApiKey = InferResponseType<(typeof api.api)['api-keys']['$get'], 200>['data'][number];
export type Checklist = InferResponseType<typeof api.api.onboarding.$get, 200>;
export type TimelinePage = InferResponseType<typeof api.api.timeline.$get, 200>;
export type TimelineEntry = TimelinePage['data'][number];
export type Duplicate = InferResponseType<typeof api.api.duplicates.contacts.$get, 200>['data'][number];
export type Product = InferResponseType<(typeof api.api.products)[':id']['$get'], 200>;
export type Order = InferResponseType<(typeof api.api.orders)[':id']['$get'], 200>;
