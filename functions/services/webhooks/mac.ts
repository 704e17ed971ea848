import { createHash, createHmac } from 'node:crypto';
import type { MacCrypto } from '../../domain/webhooks/verify';

// HMACs and digests of inbound webhooks through node:crypto, on both
// hosts (workerd has it under the nodejs_compat flag, wrangler.toml): on
// Node a Web Crypto HMAC costs ~0.1 ms of a request's CPU, this a few µs,
// and it needs no key import. Outside domain/ because the web app bundles
// domain/webhooks/verify.ts for its lists.
export const nodeCrypto: MacCrypto = {
  hmac: (algorithm, key, data) => createHmac(algorithm, key).update(data).digest(),
  sha256: (data) => createHash('sha256').update(data).digest(),
};
