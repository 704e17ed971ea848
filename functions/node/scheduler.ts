import { Cron } from 'croner';

// The Node host's Cron Triggers: the cron strings from wrangler.toml, run
// in-process with croner and handed to the same handler the Worker's
// scheduled() calls.

type Log = (message: string, details?: Record<string, unknown>) => void;

export type SchedulerOptions = {
  crons: readonly string[];
  onTick(cron: string, scheduledTime: number): Promise<void>;
  log?: Log;
};

export type Scheduler = {
  start(): void;
  // Stops scheduling and waits for ticks already running.
  stop(): Promise<void>;
};

const MINUTE_MS = 60_000;

// Cloudflare Cron Triggers take five fields and run on UTC
// (developers.cloudflare.com/workers/configuration/cron-triggers/).
// Cloudflare numbers weekdays 1-7 from Sunday (Quartz) where croner counts
// 0-6 from Sunday, so a numeric weekday would fire a day apart on the two
// hosts; weekday names mean the same to both and are the only form allowed.
export function isCloudflareCron(cron: string): boolean {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 || /\d/.test(fields[4] ?? '')) return false;
  try {
    utcCron(cron);
    return true;
  } catch {
    return false;
  }
}

// The first time the cron fires strictly after `after` (UTC ms), or null if
// it never fires again.
export function nextRunAfter(cron: string, after: number): number | null {
  return utcCron(cron).nextRun(new Date(after))?.getTime() ?? null;
}

export function createScheduler({ crons, onTick, log = defaultLog }: SchedulerOptions): Scheduler {
  for (const cron of crons) {
    if (!isCloudflareCron(cron)) throw new Error(`Not a Cloudflare cron expression: "${cron}"`);
  }
  // One run per cron at a time. Checked here rather than with croner's
  // `protect`, which fires a blocked run late, once the previous one ends.
  const running = new Map<string, Promise<void>>();
  let jobs: Cron[] = [];

  async function tick(cron: string, scheduledTime: number): Promise<void> {
    try {
      await onTick(cron, scheduledTime);
    } catch (error) {
      log('cron tick failed', { cron, scheduledTime: new Date(scheduledTime).toISOString(), error });
    }
  }

  function fire(cron: string, firedAt: Date): void {
    if (running.has(cron)) {
      log('cron tick skipped: the previous run is still going', { cron });
      return;
    }
    running.set(cron, tick(cron, scheduledMinute(firedAt)).finally(() => running.delete(cron)));
  }

  function schedule(cron: string): Cron {
    return new Cron(cron, { timezone: 'UTC' }, (job: Cron) => fire(cron, job.currentRun() ?? new Date()));
  }

  return {
    start() {
      if (jobs.length === 0) jobs = [...new Set(crons)].map(schedule);
    },
    async stop() {
      for (const job of jobs) job.stop();
      jobs = [];
      await Promise.all(running.values());
    },
  };
}

function utcCron(cron: string): Cron {
  return new Cron(cron, { timezone: 'UTC' });
}

// Cloudflare's controller.scheduledTime is the minute the trigger was due;
// croner fires a few milliseconds into it.
function scheduledMinute(firedAt: Date): number {
  return Math.floor(firedAt.getTime() / MINUTE_MS) * MINUTE_MS;
}

function defaultLog(message: string, details?: Record<string, unknown>): void {
  console.error(`[scheduler] ${message}`, details ?? '');
}
