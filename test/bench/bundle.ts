import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export type BundleSize = { bytes: number; gzipBytes: number; files: string[] };

// The Worker as `wrangler deploy` would upload it, built with wrangler.toml's
// own settings (--dry-run writes it out instead), and gzipped the way
// wrangler measures it against the plan's limit: the modules' bytes
// concatenated, zlib at its default level. Source maps are not uploaded.
export async function workerBundleSize(): Promise<BundleSize> {
  const outdir = mkdtempSync(join(tmpdir(), 'relate-bundle-'));
  try {
    await promisify(execFile)(process.execPath, [join(REPO, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', outdir], {
      cwd: REPO,
    });
    const files = readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f)).sort();
    const contents = Buffer.concat(files.map((f) => readFileSync(join(outdir, f))));
    return { bytes: contents.byteLength, gzipBytes: gzipSync(contents).byteLength, files };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
