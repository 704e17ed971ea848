import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { isPublicAddress } from '../domain/webhooks/targets';
import { RESPONSE_BODY_BYTES, refuseUnlessPublic, SEND_TIMEOUT_MS, TargetRefused, type SenderOptions, type WebhookSender } from '../services/webhooks/sender';

// The Node host's sender: the target's name is resolved here, every address
// it has must be public (one private address among them refuses it), and
// the connection goes to the address that was checked — handed to node:http
// as its lookup — so a second resolution (DNS rebinding) cannot swap in
// another. node:http rather than fetch: its `lookup` option pins the address
// without the undici package (Node's fetch does not take one), and it
// follows no redirects. TLS still verifies the certificate against the name.

type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

const resolveAll: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

async function vettedAddress(host: string, options: SenderOptions, resolve: Resolve) {
  const bare = host.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(bare)) return { address: bare, family: bare.includes(':') ? 6 : 4 };
  const addresses = await resolve(bare);
  if (addresses.length === 0) throw new TargetRefused(`The target's name ${host} has no address`);
  const inside = addresses.find((a) => !isPublicAddress(a.address, options));
  if (inside) throw new TargetRefused(`The target's name resolves to ${inside.address}, inside a private network; only public addresses are allowed`);
  return addresses[0]!;
}

export function nodeSender(options: SenderOptions & { resolve?: Resolve } = {}): WebhookSender {
  const resolve = options.resolve ?? resolveAll;
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  return async ({ url, headers, body }) => {
    const target = refuseUnlessPublic(url, options);
    const pinned = await vettedAddress(target.hostname, options, resolve);
    const lookup: LookupFunction = (_host, lookupOptions, callback) => {
      if (lookupOptions.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolveAnswer, reject) => {
      const request = client.request(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          clearTimeout(timer);
          const answerHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
          resolveAnswer({ status: res.statusCode ?? 0, headers: answerHeaders, body: Buffer.concat(chunks).subarray(0, RESPONSE_BODY_BYTES).toString('utf8') });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_BODY_BYTES) finish();
        });
        res.on('end', finish);
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      const timer = setTimeout(() => request.destroy(new Error(`No answer within ${timeoutMs / 1000} s`)), timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
  };
}
