import { describe, expect, it } from 'vitest';
import { AUTH_CACHE, createAuthCache } from '../../functions/services/auth/cache';
import type { AuthState } from '../../functions/services/auth/sessions';

const session = (userId: string, sessionId: string): AuthState => ({
  principal: { kind: 'user', userId, role: 'sales' },
  workspaceId: 'ws_1',
  session: { id: sessionId, csrfToken: 'csrf' },
});
const apiKey = (keyId: string): AuthState => ({ principal: { kind: 'apiKey', keyId, scope: 'read' }, workspaceId: 'ws_1' });

type Cache = ReturnType<typeof createAuthCache>;
// A lookup that missed, ready to remember what the database said.
function missed(cache: Cache, kind: 'session' | 'apiKey', credential: string, now: number) {
  const lookup = cache.lookup(kind, credential, now);
  if (lookup.hit) throw new Error(`${credential} was already cached`);
  return lookup;
}

describe('the auth cache', () => {
  it('serves an entry for less than ttlMs after it was read from the database', () => {
    const cache = createAuthCache();
    missed(cache, 'session', 'token-a', 1_000).remember(session('usr_a', 'ses_a'), null);
    expect(cache.lookup('session', 'token-a', 1_000 + AUTH_CACHE.ttlMs - 1).hit).toEqual(session('usr_a', 'ses_a'));
    expect(cache.lookup('session', 'token-a', 1_000 + AUTH_CACHE.ttlMs).hit).toBeNull();
  });

  it('never serves a session past its expiry, however fresh the entry', () => {
    const cache = createAuthCache();
    missed(cache, 'session', 'token-a', 1_000).remember(session('usr_a', 'ses_a'), 1_500);
    expect(cache.lookup('session', 'token-a', 1_499).hit).not.toBeNull();
    expect(cache.lookup('session', 'token-a', 1_500).hit).toBeNull();
  });

  it('keeps sessions and API keys apart, even under the same string', () => {
    const cache = createAuthCache();
    missed(cache, 'apiKey', 'same', 0).remember(apiKey('key_a'));
    expect(cache.lookup('session', 'same', 1).hit).toBeNull();
  });

  it('forgets what a change affects, and only that', () => {
    const cache = createAuthCache();
    missed(cache, 'session', 't1', 0).remember(session('usr_a', 'ses_1'), null);
    missed(cache, 'session', 't2', 0).remember(session('usr_a', 'ses_2'), null);
    missed(cache, 'session', 't3', 0).remember(session('usr_b', 'ses_3'), null);
    missed(cache, 'apiKey', 'k1', 0).remember(apiKey('key_1'));
    missed(cache, 'apiKey', 'k2', 0).remember(apiKey('key_2'));

    cache.forget({ sessionId: 'ses_1' });
    expect([cache.lookup('session', 't1', 1).hit, cache.lookup('session', 't2', 1).hit?.session?.id]).toEqual([null, 'ses_2']);
    cache.forget({ userId: 'usr_a' });
    expect(cache.lookup('session', 't2', 1).hit).toBeNull();
    expect(cache.lookup('session', 't3', 1).hit?.session?.id).toBe('ses_3');
    cache.forget({ apiKeyId: 'key_1' });
    expect(cache.lookup('apiKey', 'k1', 1).hit).toBeNull();
    expect(cache.lookup('apiKey', 'k2', 1).hit).toEqual(apiKey('key_2'));
  });

  it('does not keep what a lookup read before a change made meanwhile', () => {
    const cache = createAuthCache();
    const lookup = missed(cache, 'session', 't1', 0);
    cache.forget({ userId: 'usr_someone_else' });
    lookup.remember(session('usr_a', 'ses_1'), null);
    expect(cache.lookup('session', 't1', 1).hit).toBeNull();
  });

  it('holds at most maxEntries, letting the oldest go first', () => {
    const cache = createAuthCache({ ttlMs: 10_000, maxEntries: 3 });
    for (const n of [1, 2, 3, 4]) missed(cache, 'apiKey', `k${n}`, n).remember(apiKey(`key_${n}`));
    expect(cache.size).toBe(3);
    expect(cache.lookup('apiKey', 'k1', 5).hit).toBeNull();
    expect(cache.lookup('apiKey', 'k4', 5).hit).toEqual(apiKey('key_4'));
  });
});
