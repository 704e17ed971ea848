import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import { can } from '$lib/session';
import type { PageLoad } from './$types';

// Only what this role may see is requested; the rest would be a 403.
export const load: PageLoad = async ({ parent, url, depends, fetch }) => {
  const api = apiWith(fetch);
  depends('app:settings');
  const { session } = await parent();
  try {
    const [workspace, members, invitations, customFields, apiKeys] = await Promise.all([
      call(api.api.workspace.$get()),
      call(api.api.members.$get()),
      can(session, 'members:invite') ? call(api.api.invitations.$get()) : null,
      call(api.api['custom-fields'].$get({ query: {} })),
      can(session, 'api-keys:manage') ? call(api.api['api-keys'].$get()) : null,
    ]);
    return {
      workspace,
      members: members.data,
      invitations: invitations?.data ?? [],
      customFields: customFields.data,
      apiKeys: apiKeys?.data ?? [],
    };
  } catch (e) {
    failLoad(e, url);
  }
};
