import cluster, { type Worker } from 'node:cluster';

// The Node host on several cores: this (primary) process forks the worker
// processes, each serving HTTP on the shared port (node:cluster hands the
// connections out round-robin) and consuming the queues. A worker that
// crashes is replaced. A worker that dies before it listens means the host
// cannot run (the port is taken, the database will not open): then the
// whole pool stops, rather than forking the same failure forever.

type Log = (message: string) => void;

export type WorkerPool = {
  pids(): number[];
  // Stops every worker (SIGTERM, so each finishes what it is doing).
  stop(): Promise<void>;
  // Settles when the pool has stopped on its own: a replacement failed to
  // start, or every worker was stopped.
  failed: Promise<Error>;
};

const STOP_GRACE_MS = 10_000;

export async function startWorkers({ count, log, env = {} }: { count: number; log: Log; env?: Record<string, string> }): Promise<WorkerPool> {
  let stopping = false;
  // Workers that have listened; one that dies before is fork()'s to report.
  const serving = new Set<Worker>();
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (fail = resolve));

  const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());

  // Resolves once the worker listens; rejects if it exits first.
  function fork(): Promise<Worker> {
    const worker = cluster.fork(env);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) before it listened`));
      worker.once('exit', onExit);
      worker.once('listening', () => {
        worker.off('exit', onExit);
        serving.add(worker);
        resolve(worker);
      });
    });
  }

  async function stopAll(): Promise<void> {
    stopping = true;
    const workers = live();
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }

  cluster.on('exit', (worker, code, signal) => {
    if (!serving.delete(worker) || stopping) return;
    // A clean exit was asked for (someone stopped that process); only a
    // crash is replaced.
    if (code === 0 && !signal) {
      const left = live().length;
      log(`worker ${worker.process.pid} stopped; ${left} still serving`);
      // Nothing serves any more: the host is stopped, the primary too.
      if (left === 0) {
        stopping = true;
        fail(new Error('every worker process stopped'));
      }
      return;
    }
    log(`worker ${worker.process.pid} crashed (${signal ?? `exit code ${code}`}); starting another`);
    fork().then(
      (replacement) => log(`worker ${replacement.process.pid} started`),
      (error: Error) => {
        log(`${error.message}; stopping`);
        void stopAll().then(() => fail(error));
      },
    );
  });

  try {
    await Promise.all(Array.from({ length: count }, fork));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    pids: () => live().map((w) => w.process.pid!),
    stop: stopAll,
    failed,
  };
}
