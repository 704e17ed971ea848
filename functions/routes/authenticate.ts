import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../services/errors';
import { resolveApiKey, resolveSession } from '../services/auth/sessions';
import type { AppEnv } from './env';

export const SESSION_COOKIE = 'relate_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Tools send `Authorization: Bearer rk_…`; browsers carry the session cookie.
// A cookie-authenticated request that changes state must also echo the
// session's CSRF token in a header, which another site's page cannot read or
// send (SameSite=Lax alone does not stop same-site subdomains or JSON sent
// as text/plain).
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const { db, now } = c.get('deps');
  const cache = c.get('authCache');
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(rk_\S+)$/i.exec(header);
    const auth = match ? await resolveApiKey(db, cache, match[1]!, now()) : null;
    if (!auth) throw new AppError(401, 'invalid_api_key', 'The API key is not valid or was revoked');
    c.set('auth', auth);
    return next();
  }
  const token = getCookie(c, SESSION_COOKIE);
  const auth = token ? await resolveSession(db, cache, token, now()) : null;
  if (auth?.session && !SAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== auth.session.csrfToken) {
    throw new AppError(403, 'csrf_failed', `Missing or wrong ${CSRF_HEADER} header`);
  }
  c.set('auth', auth);
  await next();
});

// Browsers send Origin (and Sec-Fetch-Site) on every cross-origin POST; a
// state-changing request from another site's page is refused before any
// credential is looked at, which also stops login CSRF on sign-in/sign-up.
// Tools that send neither header are not browsers and are let through.
export const sameOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    // Behind a proxy the request URL may not be the public one; both count.
    const allowed = [new URL(c.req.url).origin, new URL(c.get('deps').config.publicUrl).origin];
    if ((origin && !allowed.includes(origin)) || site === 'cross-site') {
      throw new AppError(403, 'csrf_failed', 'Cross-site requests are not allowed');
    }
  }
  await next();
});
