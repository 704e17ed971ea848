import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deployedBundle } from './bundle';

// Every isolate parses the whole bundle before its first request, so its size is startup time on
// Cloudflare; the budget makes growth a decision rather than a drift. Workers Free caps a Worker
// at 3 MB gzipped, Paid at 10 MB: the budget is ours, far below both.
const BUDGET_GZIP_BYTES = 150 * 1024;

describe('the Worker bundle wrangler deploys', () => {
  it(`stays under ${BUDGET_GZIP_BYTES / 1024} KiB gzipped`, async () => {
    const { path } = await deployedBundle();
    expect(gzipSync(readFileSync(path)).byteLength).toBeLessThan(BUDGET_GZIP_BYTES);
  });

  it('carries no zod locale but the English one validation messages use', async () => {
    const { inputs } = await deployedBundle();
    const locales = inputs.filter((input) => input.includes('zod/v4/locales/'));
    expect(locales).toEqual(['node_modules/zod/v4/locales/en.js']);
  });
});
