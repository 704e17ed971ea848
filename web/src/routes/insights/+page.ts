import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

// The period is the URL's (?from=YYYY-MM&to=YYYY-MM), so a shared link
// shows what its sender saw; without one the revenue and product charts
// take the server's default (the last 12 months) and the scores count
// every scored customer.
export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:insights');
  const api = apiWith(fetch).api.analytics;
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  const chosen = MONTH.test(from) && MONTH.test(to) && from <= to ? { from, to } : null;
  const query = chosen ?? {};
  try {
    const [revenue, grid, tiers, atRisk, products, movements] = await Promise.all([
      call(api.revenue.$get({ query })),
      call(api['rfm-grid'].$get({ query })),
      call(api.tiers.$get({ query })),
      call(api['at-risk'].$get({ query: { ...query, limit: '20' } })),
      call(api.products.$get({ query: { ...query, limit: '10' } })),
      call(api.movements.$get({ query })),
    ]);
    return { chosen, revenue, grid, tiers, atRisk, products, movements };
  } catch (e) {
    failLoad(e, url);
  }
};
