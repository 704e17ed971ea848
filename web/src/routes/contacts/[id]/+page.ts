import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

// The contact, its fields and the members frame the page; the timeline
// and the purchases follow (promises the page renders placeholders for).
export const load: PageLoad = async ({ params, url, fetch }) => {
  const api = apiWith(fetch);
  const id = params.id;
  const timeline = call(api.api.timeline.$get({ query: { contactId: id } }));
  const orders = call(api.api.orders.$get({ query: { contactId: id, limit: '10' } }));
  // Their failures are the page's to show, not unhandled rejections.
  timeline.catch(() => {});
  orders.catch(() => {});
  try {
    const [contact, fields, members] = await Promise.all([
      call(api.api.contacts[':id'].$get({ param: { id } })),
      call(api.api['custom-fields'].$get({ query: { entity: 'contact' } })),
      call(api.api.members.$get()),
    ]);
    return { contact, definitions: fields.data, members: members.data, timeline, orders };
  } catch (e) {
    failLoad(e, url, 'Contact');
  }
};
