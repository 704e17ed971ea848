import type { CommonPasswords } from './password-rule';

// The common-password list of password-rule.ts travels as a text file the
// web build writes beside the app (web/vite.config.ts), so that neither
// host carries it in code: the Node host reads the file, the Worker fetches
// it from its static assets. One password a line, lower case, after a
// header line that names its source.
export const COMMON_PASSWORDS_PATH = '/security/common-passwords.txt';
export const COMMON_PASSWORDS_HEADER = '# relate common-passwords v1';

/** Parses the file, refusing anything else (the SPA's fallback page, a truncated file). */
export function parseCommonPasswords(text: string): CommonPasswords {
  if (!text.startsWith(COMMON_PASSWORDS_HEADER)) {
    throw new Error(`${COMMON_PASSWORDS_PATH} is not the common-password list: run \`npm run build:web\``);
  }
  const words = new Set(text.split('\n').slice(1).filter(Boolean));
  if (words.size < 1000) throw new Error(`${COMMON_PASSWORDS_PATH} holds only ${words.size} passwords`);
  return words;
}

/** Loads once, on first use; a failed load is tried again next time. */
export function loadOnce(load: () => Promise<string>): () => Promise<CommonPasswords> {
  let loaded: Promise<CommonPasswords> | undefined;
  return () =>
    (loaded ??= load()
      .then(parseCommonPasswords)
      .catch((error: unknown) => {
        loaded = undefined;
        throw error;
      }));
}
