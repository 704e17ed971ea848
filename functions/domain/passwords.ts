import { constantTimeEqual, fromBase64Url, toBase64Url } from './bytes';

// PBKDF2-SHA256 through Web Crypto, the only password KDF that runs natively
// in both Workers and Node. Workers cap PBKDF2 at 100,000 iterations
// (workerd rejects more), so we use exactly that: below OWASP's 600,000 for
// this KDF, which is why sign-in is also throttled. The iteration count is
// stored in the hash, so it can be raised (and hashes upgraded at sign-in) if
// the platform cap moves.
const ITERATIONS = 100_000;
const SALT_BYTES = 16;
const KEY_BITS = 256;

const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFKC')), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, KEY_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split('$');
  if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !hash) return false;
  const actual = await derive(password, fromBase64Url(salt), Number(iterations));
  return constantTimeEqual(actual, fromBase64Url(hash));
}

// A hash to compare against when the account does not exist, so a sign-in
// for an unknown email costs the same time as a wrong password.
export const DUMMY_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
