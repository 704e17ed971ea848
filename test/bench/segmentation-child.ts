// One side of the segmentation bench, alone in a process, so its peak
// memory is its own: `hand <file>` runs the hand-written query,
// `run <file>` a full segmentation run through the job as the queue runs
// it. The bench (test/bench/segmentation.ts) bundles this file and starts
// it with plain node: no tsx, no seeding, no other benchmark in the
// process. Prints one JSON line.
import type { Client, ResultSet } from '@libsql/client';
import { createDb } from '../../db/client';
import { continueMessage, runSegmentation } from '../../functions/jobs/segmentation';
import { openDatabase } from '../../functions/node/database';
import { systemScope } from '../../functions/services/scope';
import { startRun } from '../../functions/services/segmentation/runs';
import { AS_OF, HAND_WRITTEN, WS } from './segmentation-data';

const mb = (bytes: number) => bytes / 2 ** 20;

// The process's peak RSS (MiB) as the phase ended: the first phase whose
// figure jumps is the one that needed the memory.
export type PhaseTiming = { chunks: number; ms: number; peakRssMbAfter: number };
export type ChildResult = {
  ms: number;
  // Resident memory once Node, the code and the open database were loaded,
  // and the process's peak (getrusage's maxrss), both in MiB.
  baselineRssMb: number;
  peakRssMb: number;
  rows?: Record<string, unknown>[];
  phases?: Record<string, PhaseTiming>;
  messages?: number;
  runId?: string;
};

// The client with every batch timed: a step's batch ends by reading the
// run back (then gives the page cache its size back), so the time since the previous step belongs to the phase the
// run was in, and its answer says the phase the next step works on.
function phaseTimed(client: Client) {
  const phases: Record<string, PhaseTiming> = {};
  let phase = 'start';
  let mark = performance.now();
  const batch = async (...args: Parameters<Client['batch']>) => {
    const results: ResultSet[] = await client.batch(...args);
    const last = [...results].reverse().find((r) => r.columns.includes('phase') && r.columns.includes('cursor'));
    if (last?.rows[0]) {
      const now = performance.now();
      const timing = (phases[phase] ??= { chunks: 0, ms: 0, peakRssMbAfter: 0 });
      timing.chunks += 1;
      timing.ms += now - mark;
      timing.peakRssMbAfter = process.resourceUsage().maxRSS / 1024;
      mark = now;
      phase = String(last.rows[0].phase);
    }
    return results;
  };
  const timed = new Proxy(client, {
    get(target, prop) {
      if (prop === 'batch') return batch;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client: timed, phases };
}

async function fullRun(client: Client) {
  const timed = phaseTimed(client);
  const db = createDb(timed.client);
  const queue: unknown[] = [];
  const queues = { send: async (_: string, body: unknown) => void queue.push(body), sendBatch: async () => {} };
  // A manual run: a reused file (BENCH_DB) keeps earlier runs, and each bench run is a new one.
  const { run } = await startRun(systemScope(db, WS, AS_OF), { trigger: 'manual' });
  queue.push(continueMessage(run!));
  let messages = 0;
  while (queue.length) {
    await runSegmentation({ db, now: () => AS_OF, queues }, queue.shift());
    messages += 1;
  }
  return { phases: timed.phases, messages, runId: run!.id };
}

async function handWritten(client: Client) {
  const rs = await client.execute(HAND_WRITTEN());
  return { rows: rs.rows.map((row) => Object.fromEntries(rs.columns.map((column, i) => [column, row[i]]))) };
}

async function main() {
  const [mode, path] = process.argv.slice(2);
  if ((mode !== 'hand' && mode !== 'run') || !path) throw new Error('usage: segmentation-child hand|run <file>');
  const client = await openDatabase(`file:${path}`);
  try {
    await client.execute('select 1');
    const baselineRssMb = mb(process.memoryUsage().rss);
    const started = performance.now();
    const result =
      mode === 'hand'
        ? await handWritten(client)
        : await fullRun(client);
    const ms = performance.now() - started;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const out: ChildResult = { ms, baselineRssMb, peakRssMb, ...result };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
