// The dashboards' reads (GET /api/analytics/*): revenue from the running
// totals the database keeps on every order write, scores from the last
// nightly segmentation.
export { segmentMovements } from './movements';
export { topProducts } from './products';
export { revenueByMonth } from './revenue';
export { atRiskCustomers, rfmGrid, tierDistribution } from './scores';
