import { describe, expect, it } from 'vitest';
import { isIdOf, newId, newIds } from '../../functions/domain/ids';

describe('newId', () => {
  it('prefixes the kind and sorts by creation time', () => {
    const earlier = newId('contact', Date.UTC(2026, 0, 1));
    const later = newId('contact', Date.UTC(2026, 0, 2));
    expect(earlier).toMatch(/^con_/);
    expect(earlier < later).toBe(true);
    expect(isIdOf('contact', earlier)).toBe(true);
    expect(isIdOf('company', earlier)).toBe(false);
  });

  it('does not repeat within the same millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('contact', 1)));
    expect(ids.size).toBe(1000);
  });
});

describe('newIds', () => {
  it('makes distinct ids of the kind and millisecond, in ascending order', () => {
    const ids = newIds('contact', 5000, Date.UTC(2026, 0, 1));
    expect(new Set(ids).size).toBe(5000);
    expect(ids.every((id) => isIdOf('contact', id) && id.startsWith(newId('contact', Date.UTC(2026, 0, 1)).slice(0, 14)))).toBe(true);
    expect(ids.every((id, i) => i === 0 || ids[i - 1]! < id)).toBe(true);
  });

  it('draws fresh randomness past the pool: no id repeats over many pools', () => {
    const ids = new Set(Array.from({ length: 20 }, () => newIds('order', 1000, 1)).flat());
    expect(ids.size).toBe(20_000);
  });
});
