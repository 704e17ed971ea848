import type { AuthState } from './sessions';

// Resolved sessions and API keys, kept by one app instance (a Worker
// isolate, a Node process) so that a request whose credential was seen
// moments ago costs neither a statement nor a SHA-256: entries are keyed by
// the credential as sent.
//
// ttlMs is the bound on staleness: how long a revoked key, a signed-out
// session, a removed member or a changed role can still be honoured by
// ANOTHER instance. The instance that makes such a change forgets the
// affected entries at once. Ten seconds covers an SPA's page load and the
// clicks that follow, and a tool calling once a second misses one time in
// ten, while a revocation is in force everywhere before anyone could act
// on having made it. A session's own expiry is checked on every hit.
export const AUTH_CACHE = { ttlMs: 10_000, maxEntries: 10_000 } as const;

type Kind = 'session' | 'apiKey';
type Entry = { auth: AuthState; cachedAt: number; expiresAt: number | null };

export type AuthCache = ReturnType<typeof createAuthCache>;

// Which entries a change affects: a session, every session of a person, or
// an API key.
export type AuthChange = { sessionId: string } | { userId: string } | { apiKeyId: string };

export function createAuthCache(limits: { ttlMs: number; maxEntries: number } = AUTH_CACHE) {
  const entries = new Map<string, Entry>();
  // Bumped by every forget(), so that a lookup which read the database
  // before a change cannot store what it read after the change was made.
  let generation = 0;

  function affected({ auth }: Entry, change: AuthChange) {
    if ('sessionId' in change) return auth.session?.id === change.sessionId;
    if ('userId' in change) return auth.principal.kind === 'user' && auth.principal.userId === change.userId;
    return auth.principal.kind === 'apiKey' && auth.principal.keyId === change.apiKeyId;
  }

  return {
    // A hit, or a way to remember what the database says.
    lookup(kind: Kind, credential: string, now: number) {
      const key = `${kind}:${credential}`;
      const entry = entries.get(key);
      if (entry && now - entry.cachedAt < limits.ttlMs && (entry.expiresAt === null || now < entry.expiresAt)) {
        return { hit: entry.auth } as const;
      }
      if (entry) entries.delete(key);
      const since = generation;
      return {
        hit: null,
        remember(auth: AuthState, expiresAt: number | null = null) {
          if (since !== generation) return auth;
          // Oldest first out: with a TTL this short, first in is near enough
          // to least recently used.
          if (entries.size >= limits.maxEntries) entries.delete(entries.keys().next().value!);
          entries.set(key, { auth, cachedAt: now, expiresAt });
          return auth;
        },
      } as const;
    },

    forget(change: AuthChange) {
      generation += 1;
      for (const [key, entry] of entries) if (affected(entry, change)) entries.delete(key);
    },

    get size() {
      return entries.size;
    },
  };
}
