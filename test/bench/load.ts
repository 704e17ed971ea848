import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonResult } from 'autocannon';
import { summarize, type Summary } from './stats';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

type CpuUsage = { user: number; system: number };

export type Server = {
  port: number;
  url: string;
  // Server CPU time (user + system), in ms, since the process started.
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
};

function waitFor<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`the bench server exited (${code}) before answering ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

// Starts test/bench/server.ts in its own Node process (through tsx) on a
// random loopback port.
export async function startServer(dbPath: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_DB_PATH: dbPath, NODE_ENV: 'production' },
  });
  const { port } = await waitFor<{ port: number }>(child, 'listening');
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async cpuMs() {
      const reply = waitFor<{ usage: CpuUsage }>(child, 'cpu');
      child.send({ type: 'cpu' });
      const { usage } = await reply;
      return (usage.user + usage.system) / 1000;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export type LoadResult = {
  connections: number;
  durationS: number;
  requests: number;
  reqPerSec: number;
  // autocannon's histogram (whole milliseconds)
  autocannon: { p50: number; p99: number; average: number };
  // the same responses' latencies, unrounded (autocannon's per-response time)
  latency: Summary;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  serverCpuMsPerRequest: number;
};

// One autocannon run; each request takes the next path from `paths`.
export async function load(
  server: Server,
  options: { paths: string[]; headers: Record<string, string>; connections: number; durationS: number },
): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const cpuBefore = await server.cpuMs();
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        connections: options.connections,
        duration: options.durationS,
        headers: options.headers,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => {
              const path = options.paths[next++ % options.paths.length]!;
              return { ...request, path };
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const cpuAfter = await server.cpuMs();
  const requests = result.requests.total;
  return {
    connections: options.connections,
    durationS: result.duration,
    requests,
    reqPerSec: requests / result.duration,
    autocannon: { p50: result.latency.p50, p99: result.latency.p99, average: result.latency.average },
    latency: summarize(latencies),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
    serverCpuMsPerRequest: requests ? (cpuAfter - cpuBefore) / requests : NaN,
  };
}
