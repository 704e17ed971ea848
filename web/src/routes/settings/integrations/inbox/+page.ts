import { apiWith, call } from '$lib/api';
import { inboxKind } from '$lib/integrations/inbox';
import type { EventQuery } from '$lib/integrations/types';
import { apiQuery, readState } from '$lib/list/state';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

// The filters come from the URL; the first page is not awaited, so the
// frame and filters draw at once and the rows as they arrive.
export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:inbox');
  const client = apiWith(fetch);
  const state = readState(inboxKind, url.searchParams);
  const query = apiQuery(inboxKind, state) as EventQuery;
  const page = call(client.api['webhook-events'].$get({ query }));
  page.catch(() => {});
  try {
    const sources = await call(client.api['webhook-sources'].$get());
    return { state, query, sources: sources.data, page };
  } catch (e) {
    failLoad(e, url);
  }
};
