import {
  atRiskPage,
  atRiskQuery,
  periodQuery,
  revenueByMonth,
  rfmGrid,
  segmentMovements,
  tierDistribution,
  topProducts,
  topProductsQuery,
} from '../schemas/analytics';
import { atRiskCustomers, revenueByMonth as readRevenue, rfmGrid as readGrid, segmentMovements as readMovements, tierDistribution as readTiers, topProducts as readTopProducts } from '../services/analytics';
import { router } from './env';
import { contractsOf } from './contract';
import { json } from './openapi';

const PERIOD = 'from and to are UTC calendar months (YYYY-MM), both included; give both or neither.';
const SCORED =
  'From the scores of the last segmentation run. Without a period every scored customer counts; with one, only those whose last purchase falls in it.';


const contract = contractsOf('analytics');

export const analyticsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      permission: 'records:read',
      path: '/revenue',
      summary: 'Revenue, orders and customers by month',
      description: `Revenue net of refunds (cancelled and trashed orders excluded), in the workspace's reporting currency, with the number of orders and of distinct customers per month; every month of the period is listed, months without orders as zeros. Orders in a currency without an exchange rate count as orders and are listed under unconverted. Up to date with every order write. ${PERIOD} Default: the last 12 months.`,
      request: { query: periodQuery },
      responses: { 200: json(revenueByMonth, 'Revenue per month') },
    }),
    async (c) => c.json(await readRevenue(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'get',
      permission: 'records:read',
      path: '/rfm-grid',
      summary: 'Customers and revenue per RFM cell',
      description: `The 25 cells of recency (R, 1–5) by FM = (F + M + 1) div 2, each with its segment, its number of customers and their revenue in the RFM window; rows from FM 5 to 1, columns R 1 to 5. ${SCORED} ${PERIOD}`,
      request: { query: periodQuery },
      responses: { 200: json(rfmGrid, 'The RFM grid') },
    }),
    async (c) => c.json(await readGrid(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'get',
      permission: 'records:read',
      path: '/tiers',
      summary: "Value tiers' share of customers and revenue",
      description: `VIP, main, ordinary and scattered customers: how many, their revenue in the RFM window, and each tier's share of all customers and of all revenue. ${SCORED} ${PERIOD}`,
      request: { query: periodQuery },
      responses: { 200: json(tierDistribution, 'The tiers') },
    }),
    async (c) => c.json(await readTiers(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'get',
      permission: 'records:read',
      path: '/at-risk',
      summary: 'At-risk customers, most valuable first',
      description: `Customers in the segments Can't lose them, At risk and About to sleep, ranked by lifetime revenue, with their churn risk and last purchase; customers in the trash are left out. Page with nextCursor. ${SCORED} ${PERIOD}`,
      request: { query: atRiskQuery },
      responses: { 200: json(atRiskPage, 'A page of at-risk customers') },
    }),
    async (c) => c.json(await atRiskCustomers(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'get',
      permission: 'records:read',
      path: '/products',
      summary: 'Top products and when they sell',
      description: `The best-selling catalogue products of the period by revenue (line totals less their order's refund pro rata, in the reporting currency), with units sold and, for each, units and revenue per month of the year. Cancelled and trashed orders excluded; up to date with every order write. ${PERIOD} Default: the last 12 months.`,
      request: { query: topProductsQuery },
      responses: { 200: json(topProducts, 'Top products') },
    }),
    async (c) => c.json(await readTopProducts(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'get',
      permission: 'records:read',
      path: '/movements',
      summary: 'Segment movements in the last segmentation run',
      description: `How many customers moved from one segment to another in the last finished segmentation run (from null: scored for the first time), most common first. With a period, the last run whose as-of time falls in it. ${PERIOD}`,
      request: { query: periodQuery },
      responses: { 200: json(segmentMovements, 'Movements between segments') },
    }),
    async (c) => c.json(await readMovements(c.get('scope'), c.req.valid('query')), 200),
  );
