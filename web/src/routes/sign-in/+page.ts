import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/url';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url }) => {
  const { session } = await parent();
  const next = safeNext(url.searchParams.get('next'));
  if (session) redirect(307, next);
  return { next };
};
