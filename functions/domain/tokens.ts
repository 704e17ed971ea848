import { toBase64Url } from './bytes';

// Secrets handed to a browser or a tool (session tokens, invitation links,
// API keys) are 256 random bits; only their SHA-256 is stored. A fast hash is
// right here, unlike for passwords: the input is random, not guessable.
export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return toBase64Url(new Uint8Array(digest));
}

// API keys look like `rk_3f9aK2Lx_<secret>`: the `rk_` marks them in logs and
// secret scanners, and the first 11 characters are shown in the UI so people
// can tell their keys apart without the secret.
export const API_KEY_PREFIX_LENGTH = 11;
export function newApiKey(): { key: string; prefix: string } {
  const key = `rk_${randomToken(6)}_${randomToken(32)}`;
  return { key, prefix: key.slice(0, API_KEY_PREFIX_LENGTH) };
}
