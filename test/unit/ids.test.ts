import { describe, expect, it } from 'vitest';
import { isIdOf, newId } from '../../functions/domain/ids';

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
