import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HMAC_ALGORITHMS, webCrypto } from '../../functions/domain/webhooks/verify';
import { nodeCrypto } from '../../functions/services/webhooks/mac';

// Inbound webhooks are verified with node:crypto (services/webhooks/mac.ts)
// where Web Crypto was used before: the two must agree byte for byte.
const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array(b));

describe('node:crypto and Web Crypto hashes for inbound webhooks', () => {
  it('give the same HMAC for every algorithm, key and body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HMAC_ALGORITHMS), bytes.filter((k) => k.length > 0), bytes, async (algorithm, key, data) => {
        expect([...(await nodeCrypto.hmac(algorithm, key, data))]).toEqual([...(await webCrypto.hmac(algorithm, key, data))]);
      }),
      { numRuns: 60 },
    );
  });

  it('give the same SHA-256 digest', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, async (data) => {
        expect([...(await nodeCrypto.sha256(data))]).toEqual([...(await webCrypto.sha256(data))]);
      }),
      { numRuns: 60 },
    );
  });
});
