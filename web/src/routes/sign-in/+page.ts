import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// Only same-site paths: ?next= must not become an open redirect.
function safeNext(url: URL): string {
  const next = url.searchParams.get('next') ?? '';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/contacts';
}

export const load: PageLoad = async ({ parent, url }) => {
  const { session } = await parent();
  if (session) redirect(307, safeNext(url));
  return { next: safeNext(url) };
};
