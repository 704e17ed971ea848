import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

// The company, its fields and the members frame the page; its people and
// its timeline follow (promises the page renders placeholders for).
export const load: PageLoad = async ({ params, url, depends, fetch }) => {
  const api = apiWith(fetch);
  depends('app:company');
  const id = params.id;
  const people = call(api.api.contacts.$get({ query: { companyId: id, limit: '100' } }));
  const timeline = call(api.api.timeline.$get({ query: { companyId: id } }));
  // Their failures are the page's to show, not unhandled rejections.
  people.catch(() => {});
  timeline.catch(() => {});
  try {
    const [company, fields, members] = await Promise.all([
      call(api.api.companies[':id'].$get({ param: { id } })),
      call(api.api['custom-fields'].$get({ query: { entity: 'company' } })),
      call(api.api.members.$get()),
    ]);
    return { company, definitions: fields.data, members: members.data, people, timeline };
  } catch (e) {
    failLoad(e, url, 'Company');
  }
};
