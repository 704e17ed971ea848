import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScheduler, nextRunAfter } from '../../functions/node/scheduler';

const at = (iso: string) => Date.parse(iso);

describe('nextRunAfter', () => {
  it('finds the next 03:00 UTC for "0 3 * * *"', () => {
    expect(nextRunAfter('0 3 * * *', at('2026-03-10T02:59:59Z'))).toBe(at('2026-03-10T03:00:00Z'));
    expect(nextRunAfter('0 3 * * *', at('2026-03-10T03:00:00Z'))).toBe(at('2026-03-11T03:00:00Z'));
    expect(nextRunAfter('0 3 * * *', at('2026-12-31T23:00:00Z'))).toBe(at('2027-01-01T03:00:00Z'));
  });

  it('finds the next five-minute mark for "*/5 * * * *"', () => {
    expect(nextRunAfter('*/5 * * * *', at('2026-03-10T10:02:30Z'))).toBe(at('2026-03-10T10:05:00Z'));
    expect(nextRunAfter('*/5 * * * *', at('2026-03-10T10:05:00Z'))).toBe(at('2026-03-10T10:10:00Z'));
    expect(nextRunAfter('*/5 * * * *', at('2026-03-10T23:58:00Z'))).toBe(at('2026-03-11T00:00:00Z'));
  });

  it("ignores the host's time zone, as Cloudflare runs crons in UTC", () => {
    const original = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      expect(nextRunAfter('0 3 * * *', at('2026-03-10T02:00:00Z'))).toBe(at('2026-03-10T03:00:00Z'));
    } finally {
      process.env.TZ = original;
    }
  });
});

describe('createScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps ticking after a tick throws, logging the error', async () => {
    vi.useFakeTimers({ now: at('2026-03-10T00:00:00Z') });
    const ticks: Array<[string, string]> = [];
    const log = vi.fn();
    const scheduler = createScheduler({
      crons: ['*/5 * * * *'],
      async onTick(cron, scheduledTime) {
        ticks.push([cron, new Date(scheduledTime).toISOString()]);
        if (ticks.length === 1) throw new Error('segmentation failed');
      },
      log,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    await scheduler.stop();

    expect(ticks).toEqual([
      ['*/5 * * * *', '2026-03-10T00:05:00.000Z'],
      ['*/5 * * * *', '2026-03-10T00:10:00.000Z'],
      ['*/5 * * * *', '2026-03-10T00:15:00.000Z'],
    ]);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toBe('cron tick failed');
    expect(log.mock.calls[0]?.[1]).toMatchObject({ cron: '*/5 * * * *', error: expect.objectContaining({ message: 'segmentation failed' }) });
  });

  it('skips a run while the previous run of the same cron is still going', async () => {
    vi.useFakeTimers({ now: at('2026-03-10T00:00:00Z') });
    const started: string[] = [];
    const log = vi.fn();
    const scheduler = createScheduler({
      crons: ['*/5 * * * *'],
      async onTick(_cron, scheduledTime) {
        started.push(new Date(scheduledTime).toISOString());
        await new Promise((resolve) => setTimeout(resolve, 7 * 60_000));
      },
      log,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(16 * 60_000);
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(7 * 60_000);
    await stopped;

    expect(started).toEqual(['2026-03-10T00:05:00.000Z', '2026-03-10T00:15:00.000Z']);
    expect(log).toHaveBeenCalledWith('cron tick skipped: the previous run is still going', { cron: '*/5 * * * *' });
  });

  it('runs nothing after stop()', async () => {
    vi.useFakeTimers({ now: at('2026-03-10T00:00:00Z') });
    const onTick = vi.fn(async () => {});
    const scheduler = createScheduler({ crons: ['*/5 * * * *'], onTick });
    scheduler.start();
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(onTick).not.toHaveBeenCalled();
  });

  it('refuses a cron Cloudflare would not run', () => {
    expect(() => createScheduler({ crons: ['* * * * * *'], onTick: async () => {} })).toThrow(/Cloudflare cron/);
  });
});
