import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:subscriptions');
  const client = apiWith(fetch);
  try {
    const [subscriptions, catalogue] = await Promise.all([
      call(client.api['webhook-subscriptions'].$get()),
      call(client.api['webhook-subscriptions']['event-types'].$get()),
    ]);
    return { subscriptions: subscriptions.data, catalogue: catalogue.data };
  } catch (e) {
    failLoad(e, url);
  }
};
