// The session cookie is HttpOnly, so the web app cannot tell whether anyone
// is signed in without asking the API, and a signed-out visitor's every page
// load would cost a request that can only fail (401). Beside the session
// cookie the server sets this one, readable by the page and secret-free:
// "a session was started here". It is set and cleared with the session
// cookie, and cleared again when the session turns out to be gone (expired,
// revoked); the page asks GET /api/auth/session only while it is there.
// Nothing on the server trusts it.
export const SIGNED_IN_HINT_COOKIE = 'relate_signed_in';

/** Whether a Cookie header (document.cookie) carries the hint. */
export function hasSignedInHint(cookies: string): boolean {
  return cookies.split(';').some((pair) => pair.trim() === `${SIGNED_IN_HINT_COOKIE}=1`);
}
