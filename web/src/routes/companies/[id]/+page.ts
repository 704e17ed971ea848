import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url, depends, fetch }) => {
  const api = apiWith(fetch);
  depends('app:company');
  const id = params.id;
  try {
    const [company, fields, members, contacts, activities] = await Promise.all([
      call(api.api.companies[':id'].$get({ param: { id } })),
      call(api.api['custom-fields'].$get({ query: { entity: 'company' } })),
      call(api.api.members.$get()),
      call(api.api.contacts.$get({ query: { companyId: id, limit: '100' } })),
      call(api.api.activities.$get({ query: { companyId: id } })),
    ]);
    return { company, definitions: fields.data, members: members.data, contacts, activities };
  } catch (e) {
    failLoad(e, url, 'Company');
  }
};
