import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { COMMON_PASSWORDS_HEADER, COMMON_PASSWORDS_PATH, loadOnce } from '../domain/common-passwords';

/** The list file's text, from the maintained list in @zxcvbn-ts/language-common (at build time, and in tests). */
export async function commonPasswordsFile(): Promise<string> {
  const { dictionary } = await import('@zxcvbn-ts/language-common');
  const version = (createRequire(import.meta.url)('@zxcvbn-ts/language-common/package.json') as { version: string }).version;
  const words = [...new Set((dictionary['passwords-common'] as string[]).map((w) => w.toLowerCase()))];
  return [`${COMMON_PASSWORDS_HEADER} from @zxcvbn-ts/language-common ${version}, ${words.length} passwords`, ...words, ''].join('\n');
}

/**
 * The Node host's list: the web build's file, read on first use; without a
 * build (`npm run dev` beside Vite's dev server) straight from the package,
 * a dev dependency a development checkout has.
 */
export const commonPasswordsFrom = (buildDir: string) =>
  loadOnce(() =>
    readFile(`${buildDir}${COMMON_PASSWORDS_PATH}`, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return commonPasswordsFile();
      throw error;
    }),
  );

/** Tests' list: straight from the package, so they need no web build. */
export const commonPasswordsFromPackage = loadOnce(commonPasswordsFile);
