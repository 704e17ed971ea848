import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// Only same-site paths: ?next= must not become an open redirect. Browsers
// read "/\host" like "//host", so a backslash second is refused too.
function safeNext(url: URL): string {
  const next = url.searchParams.get('next') ?? '';
  return /^\/(?![/\\])/.test(next) ? next : '/contacts';
}

export const load: PageLoad = async ({ parent, url }) => {
  const { session } = await parent();
  if (session) redirect(307, safeNext(url));
  return { next: safeNext(url) };
};
