import { describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_GZIP_BYTES, deployedBundle, deployedBundleSize } from './bundle';

describe('the Worker bundle wrangler deploys', () => {
  it(`stays under ${BUNDLE_BUDGET_GZIP_BYTES.toLocaleString('en')} bytes gzipped`, async () => {
    expect((await deployedBundleSize()).gzipBytes).toBeLessThan(BUNDLE_BUDGET_GZIP_BYTES);
  });

  it('carries no zod locale but the English one validation messages use', async () => {
    const { inputs } = await deployedBundle();
    const locales = inputs.filter((input) => input.includes('zod/v4/locales/'));
    expect(locales).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('carries no password list: the Worker fetches it from its static assets when a password is set', async () => {
    const { inputs } = await deployedBundle();
    expect(inputs.filter((input) => input.includes('zxcvbn'))).toEqual([]);
  });
});
