import { describe, expect, it } from 'vitest';
import { chromiumForTests } from '../e2e/chromium';

describe('the Chromium the end-to-end tier drives', () => {
  it('is the one CHROMIUM_PATH names, when it names one', async () => {
    const launch = await chromiumForTests({ CHROMIUM_PATH: process.execPath });
    expect(launch.executablePath).toBe(process.execPath);
    expect(launch.source).toBe('CHROMIUM_PATH');
  });

  it('refuses a CHROMIUM_PATH that does not exist rather than falling back silently', async () => {
    await expect(chromiumForTests({ CHROMIUM_PATH: '/nowhere/chromium' })).rejects.toThrow(/does not exist/);
  });
});
