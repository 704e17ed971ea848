import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

// The order and the members (the field editors' context) frame the page; a
// order has no custom fields and no timeline.
export const load: PageLoad = async ({ params, url, fetch }) => {
  const api = apiWith(fetch);
  try {
    const [order, members] = await Promise.all([call(api.api.orders[':id'].$get({ param: { id: params.id } })), call(api.api.members.$get())]);
    return { order, members: members.data };
  } catch (e) {
    failLoad(e, url, 'Order');
  }
};
