import { describe, expect, it } from 'vitest';
import { canChangeView, formatCustomCondition, parseCustomCondition, tagKey, withoutTags, withTags, type CustomCondition } from '../../functions/domain/lists';

describe('a custom field condition in a query string', () => {
  it('reads key:op:value with the value as JSON, and a bare word as text', () => {
    expect(parseCustomCondition('tier:in:["gold","silver"]')).toEqual({ key: 'tier', op: 'in', value: ['gold', 'silver'] });
    expect(parseCustomCondition('score:gte:10')).toEqual({ key: 'score', op: 'gte', value: 10 });
    expect(parseCustomCondition('notes:contains:renewal due')).toEqual({ key: 'notes', op: 'contains', value: 'renewal due' });
    expect(parseCustomCondition('url:eq:http://x')).toEqual({ key: 'url', op: 'eq', value: 'http://x' });
    expect(parseCustomCondition('tier=gold')).toBeNull();
    expect(parseCustomCondition(':eq:1')).toBeNull();
  });

  it('writes each condition so that it reads back the same, quoting text that would read as another value', () => {
    const conditions: CustomCondition[] = [
      { key: 'tier', op: 'in', value: ['gold'] },
      { key: 'score', op: 'lte', value: 20 },
      { key: 'since', op: 'gte', value: '2026-01-01' },
      { key: 'code', op: 'eq', value: '10' },
      { key: 'flag', op: 'eq', value: 'true' },
      { key: 'vip', op: 'eq', value: true },
      { key: 'notes', op: 'contains', value: 'a:b' },
    ];
    for (const c of conditions) expect(parseCustomCondition(formatCustomCondition(c))).toEqual(c);
    expect(formatCustomCondition({ key: 'notes', op: 'contains', value: 'renewal' })).toBe('notes:contains:renewal');
  });
});

describe('tags', () => {
  it('compare without regard to ASCII case, as the database lower() does', () => {
    expect(tagKey('VIP')).toBe('vip');
    expect(tagKey('Ärger')).toBe('Ärger');
    expect(withTags(['VIP', 'partner'], ['vip', 'New'])).toEqual(['VIP', 'partner', 'New']);
    expect(withoutTags(['VIP', 'partner'], ['vip'])).toEqual(['partner']);
  });
});

describe('who may change a saved view', () => {
  const sales = { userId: 'usr_a', role: 'sales' as const };
  const manager = { userId: 'usr_m', role: 'manager' as const };
  it('its maker always; a manager or above when it is shared; nobody else', () => {
    expect(canChangeView({ ownerId: 'usr_a', visibility: 'private' }, sales)).toBe(true);
    expect(canChangeView({ ownerId: 'usr_b', visibility: 'workspace' }, sales)).toBe(false);
    expect(canChangeView({ ownerId: 'usr_b', visibility: 'workspace' }, manager)).toBe(true);
    expect(canChangeView({ ownerId: 'usr_b', visibility: 'private' }, manager)).toBe(false);
  });
});
