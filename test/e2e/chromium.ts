import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Which Chromium the end-to-end tier drives, in this order:
//   1. CHROMIUM_PATH, when set (any Chromium or Chrome on any platform);
//   2. Debian's chromium at /usr/bin/chromium, when installed;
//   3. the Chromium inside the @sparticuz/chromium npm package (Linux x64),
//      so `npm ci && npm test` needs nothing but Node and npm, and no root.
// Never a browser downloaded from anywhere but the npm registry.
export type ChromiumLaunch = { executablePath: string; args: string[]; env?: Record<string, string>; source: string };

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps reaching for
// Google's services, which a machine with no internet refuses many at a time.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function chromiumForTests(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLaunch> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH points at ${env.CHROMIUM_PATH}, which does not exist`);
    return { executablePath: env.CHROMIUM_PATH, args: ARGS, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: ARGS, source: SYSTEM_CHROMIUM };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `No Chromium for the end-to-end tests: @sparticuz/chromium ships Linux x64 only. ` +
        `Set CHROMIUM_PATH to a Chromium or Chrome executable (${process.platform}/${process.arch}).`,
    );
  }
  return packagedChromium();
}

// @sparticuz/chromium inflates its brotli archives into os.tmpdir() and
// trusts any `chromium` file already there, so two test runs starting at
// once could launch a half-written binary. Each run inflates into a private
// staging folder and renames it into place: the cache folder either holds a
// whole Chromium or does not exist.
async function packagedChromium(): Promise<ChromiumLaunch> {
  const { default: packaged } = await import('@sparticuz/chromium');
  const version = (JSON.parse(readFileSync(join(import.meta.dirname, '../../node_modules/@sparticuz/chromium/package.json'), 'utf8')) as {
    version: string;
  }).version;
  const dir = join(tmpdir(), `relate-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) {
    const staging = mkdtempSync(join(tmpdir(), 'relate-chromium-staging-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    try {
      await packaged.executablePath();
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    try {
      renameSync(staging, dir);
    } catch {
      // Another run got there first with a whole copy of its own.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  // The package's fonts.conf names /tmp/fonts; ours names where they are,
  // plus the system's fonts when there are any.
  const fontsConf = join(dir, 'relate-fonts.conf');
  if (!existsSync(fontsConf)) {
    mkdirSync(join(dir, 'fonts-cache'), { recursive: true });
    writeFileSync(
      fontsConf,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <dir>${join(dir, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
  }
  // --no-zygote: the packaged headless shell cannot fork its zygote as root
  // without a sandbox. The package's own list also turns web security off,
  // which would hide exactly what these tests check, so it is not used.
  return {
    executablePath: join(dir, 'chromium'),
    args: [...ARGS, '--no-zygote'],
    env: { FONTCONFIG_FILE: fontsConf },
    source: `@sparticuz/chromium ${version}`,
  };
}
