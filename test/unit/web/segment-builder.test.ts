import { describe, expect, it } from 'vitest';
import type { SegmentField } from '../../../web/src/lib/api';
import { conditionCount, listOf, newCondition, problemText, toMajor, toMinor, withOperator } from '../../../web/src/lib/segments/builder';

// The builder's form helpers: defaults that the server accepts, values
// kept across operators that share a shape, and problems named as the
// builder numbers conditions.

const field = (over: Partial<SegmentField>): SegmentField => ({
  key: 'contact.tags',
  label: 'Tags',
  group: 'contact',
  type: 'tags',
  operators: ['any_of', 'none_of', 'is_empty', 'is_set'],
  options: null,
  ref: null,
  windowed: false,
  ...over,
});

describe('segment builder helpers', () => {
  it('starts a condition with the first operator and a value of its shape', () => {
    expect(newCondition(field({}), 'USD')).toEqual({ type: 'condition', field: 'contact.tags', operator: 'any_of', value: [] });
    const stage = field({ key: 'contact.lifecycleStage', type: 'enum', operators: ['is', 'any_of'], options: ['lead', 'customer'] });
    expect(newCondition(stage, 'USD')).toMatchObject({ operator: 'is', value: 'lead' });
    const spent = field({ key: 'orders.totalSpent', type: 'money', operators: ['gt', 'between'] });
    expect(newCondition(spent, 'EUR').value).toEqual({ amount: 0, currency: 'EUR' });
  });

  it('keeps the value when the operator takes the same shape, and drops it when none is taken', () => {
    const stage = field({ key: 'contact.lifecycleStage', type: 'enum', operators: ['is', 'is_not', 'any_of', 'is_empty'], options: ['lead'] });
    const chosen = { type: 'condition' as const, field: stage.key, operator: 'is' as const, value: 'lead' };
    expect(withOperator(chosen, stage, 'is_not', 'USD').value).toBe('lead');
    expect(withOperator(chosen, stage, 'any_of', 'USD').value).toEqual(['lead']);
    expect(withOperator(chosen, stage, 'is_empty', 'USD')).not.toHaveProperty('value');
  });

  it('converts money between major and minor units by the currency', () => {
    expect(toMinor(12.34, 'USD')).toBe(1234);
    expect(toMinor(500, 'JPY')).toBe(500);
    expect(toMajor({ amount: 1234, currency: 'USD' })).toBe(12.34);
  });

  it('reads comma-separated lists, and names a problem by its condition', () => {
    expect(listOf(' vip, ,partner ')).toEqual(['vip', 'partner']);
    expect(problemText('definition.children.0.children.1.value', 'must be a number')).toBe('Condition 1.2: must be a number');
    expect(problemText('definition', 'at most 50')).toBe('at most 50');
    expect(conditionCount({ type: 'group', op: 'and', children: [{ type: 'group', op: 'or', children: [newCondition(field({}), 'USD')] }] })).toBe(1);
  });
});
