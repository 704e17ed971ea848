import { apiWith, call, messageOf } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, parent, fetch }) => {
  const api = apiWith(fetch);
  // The lookup is a POST: with a session cookie it needs the CSRF token,
  // which the layout's session load provides.
  await parent();
  try {
    return { invitation: await call(api.api.invitations.lookup.$post({ json: { token: params.token } })), problem: null };
  } catch (e) {
    return { invitation: null, problem: messageOf(e) };
  }
};
