import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

// The contact, its fields and the members frame the page; the timeline
// follows (a promise the page renders a placeholder for).
export const load: PageLoad = async ({ params, url, fetch }) => {
  const api = apiWith(fetch);
  const id = params.id;
  const timeline = call(api.api.timeline.$get({ query: { contactId: id } }));
  // Its failure is the page's to show, not an unhandled rejection.
  timeline.catch(() => {});
  try {
    const [contact, fields, members] = await Promise.all([
      call(api.api.contacts[':id'].$get({ param: { id } })),
      call(api.api['custom-fields'].$get({ query: { entity: 'contact' } })),
      call(api.api.members.$get()),
    ]);
    return { contact, definitions: fields.data, members: members.data, timeline };
  } catch (e) {
    failLoad(e, url, 'Contact');
  }
};
