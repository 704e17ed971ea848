import { apiWith, call } from '$lib/api';
import { deliveriesKind } from '$lib/integrations/outbound';
import type { DeliveryQuery } from '$lib/integrations/types';
import { apiQuery, readState } from '$lib/list/state';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

// The filters come from the URL; the first page is not awaited, so the
// frame and filters draw at once and the rows as they arrive.
export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:deliveries');
  const client = apiWith(fetch);
  const state = readState(deliveriesKind, url.searchParams);
  const query = apiQuery(deliveriesKind, state) as DeliveryQuery;
  const page = call(client.api['webhook-deliveries'].$get({ query }));
  page.catch(() => {});
  try {
    const [subscriptions, catalogue] = await Promise.all([
      call(client.api['webhook-subscriptions'].$get()),
      call(client.api['webhook-subscriptions']['event-types'].$get()),
    ]);
    return { state, query, subscriptions: subscriptions.data, catalogue: catalogue.data, page };
  } catch (e) {
    failLoad(e, url);
  }
};
