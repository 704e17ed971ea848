import { error } from '@sveltejs/kit';
import { can } from '$lib/session';
import type { LayoutLoad } from './$types';

// Owners, admins and marketing manage integrations; anyone else would get
// only refusals from the API, so they get one clear page instead.
export const load: LayoutLoad = async ({ parent }) => {
  const { session } = await parent();
  if (session && !can(session, 'integrations:manage')) error(403, 'Only owners, admins and marketing manage integrations.');
  return {};
};
