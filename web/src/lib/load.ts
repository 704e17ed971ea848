import { error, redirect } from '@sveltejs/kit';
import { ApiError } from './api';

// Turns a failed API call inside a load function into what SvelteKit shows:
// back to sign-in when the session ended, a 404 page for a missing record,
// the API's own message for anything else.
export function failLoad(e: unknown, url: URL, record?: string): never {
  if (!(e instanceof ApiError)) throw e;
  if (e.status === 401) redirect(307, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
  // A malformed id in the URL is as missing as an unknown one.
  if (record && (e.status === 404 || e.status === 400)) error(404, `${record} not found. It may have been deleted.`);
  error(e.status >= 400 ? e.status : 503, e.message);
}
