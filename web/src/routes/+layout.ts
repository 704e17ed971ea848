import { redirect } from '@sveltejs/kit';
import { loadChecklist, loadSession, PUBLIC_ROUTES } from '$lib/session';
import type { LayoutLoad } from './$types';

// A single-page app served by the API's host: no server rendering, no
// prerendering; every page loads its data from /api in the browser.
export const ssr = false;
export const prerender = false;

// Reloaded on invalidate('app:session') and when the route changes, not on
// every query-string change (a search keystroke needs no session check).
export const load: LayoutLoad = async ({ url, route, depends, untrack, fetch }) => {
  depends('app:session');
  let session;
  try {
    session = await loadSession(fetch);
  } catch {
    // Server unreachable or failing. A throw in the root layout leaves
    // SvelteKit nothing to render, so the page's own load reports it.
    return { session: null, checklist: null };
  }
  if (!session && !PUBLIC_ROUTES.includes(route.id ?? '')) {
    redirect(307, `/sign-in?next=${encodeURIComponent(untrack(() => url.pathname + url.search))}`);
  }
  // Not awaited: the page does not wait for it. While it has steps left it
  // is read again whenever what ticks them off changes.
  const checklist = session ? loadChecklist(fetch, session) : null;
  if (checklist) depends('app:checklist', 'app:contacts', 'app:companies', 'app:settings');
  return { session, checklist };
};
