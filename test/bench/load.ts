import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonResult } from 'autocannon';
import { sendRequests, type SenderOptions } from './sender';
import { summarize, type Summary } from './stats';
import { freePort } from '../fixtures/ports';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const NODE_HOST = fileURLToPath(new URL('../../functions/node.ts', import.meta.url));

export type Server = {
  processes: number;
  url: string;
  // CPU time (user + system) of the host's processes, summed, in ms since
  // they started; null where /proc is not there to read.
  cpuMs(): number | null;
  stop(): Promise<void>;
};


// The Node host exactly as `npm start` runs it (functions/node.ts), on the
// bench's database and a free loopback port, with `processes` serving
// processes (1: everything in one process). `nodeOptions` go to node
// before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses).
export async function startServer(dbPath: string, processes: number, nodeOptions: string[] = []): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', NODE_HOST], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `file:${dbPath}`,
      SEED_DEMO: 'false',
      PROCESSES: String(processes),
    },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Relate is running')) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve();
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`the Node host exited (${code}) before it was running:\n${output}`)));
  });
  return {
    processes,
    url: `http://127.0.0.1:${port}`,
    cpuMs: () => processTreeCpuMs(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}

// user + system time of a process and all its descendants, from /proc
// (Linux; clock ticks of 1/100 s, USER_HZ).
export function processTreeCpuMs(pid: number): number | null {
  try {
    let total = 0;
    const pending = [pid];
    while (pending.length > 0) {
      const next = pending.pop()!;
      const stat = readFileSync(`/proc/${next}/stat`, 'utf8');
      // Fields after the command name, which may itself hold spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * 10;
      const children = readFileSync(`/proc/${next}/task/${next}/children`, 'utf8').trim();
      if (children) pending.push(...children.split(' ').map(Number));
    }
    return total;
  } catch {
    return null;
  }
}

// Busy CPU time of the whole machine, from /proc/stat (Linux), in ms.
export function machineBusyMs(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return null;
  }
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export type LoadResult = {
  connections: number;
  durationS: number;
  requests: number;
  reqPerSec: number;
  // autocannon's histogram (whole milliseconds), where autocannon sent the requests
  autocannon?: { p50: number; p99: number; average: number };
  // the 2xx responses' latencies, unrounded
  latency: Summary;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  // CPU per answered request: the host's processes summed, and this
  // process (the load generator, which shares the machine with them).
  serverCpuMsPerRequest: number | null;
  loadGeneratorCpuMsPerRequest: number;
  // What everything else on the machine used meanwhile, in % of one CPU.
  otherCpuPercent: number | null;
  // With BENCH_REPEAT: req/s of every run, of which this is the median.
  runsReqPerSec?: number[];
};

type Run = Omit<LoadResult, 'connections' | 'reqPerSec' | 'latency' | 'serverCpuMsPerRequest' | 'loadGeneratorCpuMsPerRequest' | 'otherCpuPercent'> & { latencies: number[] };

// A run with the CPU the host, this process and everything else used during it.
async function measured(server: Server, connections: number, send: () => Promise<Run>): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  const before = { server: server.cpuMs(), own: ownCpuMs(), machine: machineBusyMs() };
  const { latencies, ...run } = await send();
  const after = { server: server.cpuMs(), own: ownCpuMs(), machine: machineBusyMs() };
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const serverMs = before.server === null || after.server === null ? null : after.server - before.server;
  const ownMs = after.own - before.own;
  const otherMs =
    before.machine === null || after.machine === null || serverMs === null ? null : Math.max(0, after.machine - before.machine - serverMs - ownMs);
  return {
    ...run,
    connections,
    reqPerSec: run.requests / run.durationS,
    latency: summarize(latencies),
    serverCpuMsPerRequest: serverMs === null || !run.requests ? null : serverMs / run.requests,
    loadGeneratorCpuMsPerRequest: run.requests ? ownMs / run.requests : NaN,
    otherCpuPercent: otherMs === null ? null : (100 * otherMs) / wallMs,
  };
}

// One autocannon run; each request takes the next path from `paths` (and,
// for a POST, the next body from `bodies`).
export async function load(
  server: Server,
  options: {
    paths: string[];
    headers: Record<string, string>;
    connections: number;
    durationS: number;
    method?: 'GET' | 'POST';
    bodies?: string[];
  },
): Promise<LoadResult> {
  return measured(server, options.connections, async () => {
    let next = 0;
    const latencies: number[] = [];
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
              method: options.method ?? 'GET',
              setupRequest: (request) => {
                const i = next++;
                const path = options.paths[i % options.paths.length]!;
                return { ...request, path, ...(options.bodies ? { body: options.bodies[i % options.bodies.length] } : {}) };
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
    return {
      durationS: result.duration,
      requests: result.requests.total,
      autocannon: { p50: result.latency.p50, p99: result.latency.p99, average: result.latency.average },
      latencies,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
    };
  });
}

// POSTs made whole before their turn (a signed webhook's headers and body
// belong together), `request(i)` the i-th, through the lean sender
// (sender.ts), for durationS or `amount` requests, whichever ends first.
export function sendPrepared(server: Server, options: SenderOptions): Promise<LoadResult> {
  return measured(server, options.connections, () => sendRequests(server.url, options));
}
