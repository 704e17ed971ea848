import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url, fetch }) => {
  const api = apiWith(fetch);
  const id = params.id;
  try {
    const [contact, fields, members, activities] = await Promise.all([
      call(api.api.contacts[':id'].$get({ param: { id } })),
      call(api.api['custom-fields'].$get({ query: { entity: 'contact' } })),
      call(api.api.members.$get()),
      call(api.api.activities.$get({ query: { contactId: id } })),
    ]);
    return { contact, definitions: fields.data, members: members.data, activities };
  } catch (e) {
    failLoad(e, url, 'Contact');
  }
};
