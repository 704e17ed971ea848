import type { SegmentDefinition, SegmentNode } from '../../functions/domain/segments';

// The segment builder's live count (POST /api/segments/preview: the count,
// capped at 10,000, and the first 20 matches by name) over the dashboards
// bench's dataset: a mix of what people build. Product 2 is one of the
// catalogue's best sellers; "at risk" is about a tenth of the customers.

const product = (i: number) => `prd_${String(i).padStart(26, '0')}`;
const all = (...children: SegmentNode[]): SegmentDefinition => ({ type: 'group', op: 'and', children });
const any = (...children: SegmentNode[]): SegmentNode => ({ type: 'group', op: 'or', children });
const spentInYear: SegmentNode = { type: 'condition', field: 'orders.totalSpent', operator: 'gte', value: { amount: 50_000, currency: 'USD' }, days: 365 };
const atRisk: SegmentNode = { type: 'condition', field: 'scores.segment', operator: 'is', value: 'at_risk' };

export const SEGMENT_SCENARIOS: { name: string; definition: SegmentDefinition }[] = [
  { name: 'lifecycle stage is opportunity', definition: all({ type: 'condition', field: 'contact.lifecycleStage', operator: 'is', value: 'opportunity' }) },
  { name: 'tagged vip', definition: all({ type: 'condition', field: 'contact.tags', operator: 'any_of', value: ['vip'] }) },
  { name: 'spent ≥ $500 in the last 365 days', definition: all(spentInYear) },
  { name: 'bought product 2', definition: all({ type: 'condition', field: 'orders.product', operator: 'any_of', value: [product(2)] }) },
  { name: 'RFM segment is at risk', definition: all(atRisk) },
  { name: 'spent ≥ $500 in the last 365 days and at risk', definition: all(spentInYear, atRisk) },
  {
    name: 'OR groups: (vip and ≥ 3 purchases) or (lead and bought in 90 days) or at risk / can’t lose',
    definition: all(
      any(
        all({ type: 'condition', field: 'contact.tags', operator: 'any_of', value: ['vip'] }, { type: 'condition', field: 'orders.count', operator: 'gte', value: 3 }),
        all({ type: 'condition', field: 'contact.lifecycleStage', operator: 'is', value: 'lead' }, { type: 'condition', field: 'orders.lastPurchaseAt', operator: 'in_last_days', value: 90 }),
        { type: 'condition', field: 'scores.segment', operator: 'any_of', value: ['at_risk', 'cant_lose'] },
      ),
    ),
  },
];
