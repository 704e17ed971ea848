import { connect, type Socket } from 'node:net';

// A lean HTTP/1.1 load generator for requests made before the run (signed
// webhooks): each kept-alive connection writes its next request's bytes
// the moment the answer to the last is whole, and times each answer.
// autocannon, building every request anew through setupRequest, costs
// 0.11–0.25 ms of CPU per request on this machine against this one's
// 0.04–0.06 ms, and it runs on the same two cores as the host it measures:
// at thousands of requests a second it took half a core from the host.
//
// Answers must carry a Content-Length (the Node host's JSON answers do);
// one without is counted an error and its connection dropped.

export type SentRequest = { path: string; headers: Record<string, string>; body: string };

export type SenderOptions = {
  connections: number;
  // Stop sending after this long, or after `amount` requests, whichever
  // comes first (a run without either would never end).
  durationS?: number;
  amount?: number;
  request: (i: number) => SentRequest;
  timeoutMs?: number;
};

export type SenderRun = {
  requests: number;
  durationS: number;
  // Milliseconds from a request's first byte written to its answer's last read, of 2xx answers.
  latencies: number[];
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
};

const HEAD_END = Buffer.from('\r\n\r\n');

function encode(host: string, { path, headers, body }: SentRequest): Buffer {
  let head = `POST ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  return Buffer.from(`${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

// The status and length of the answer at the start of `buffer`, once its head is whole.
function readHead(buffer: Buffer): { status: number; headBytes: number; bodyBytes: number } | 'incomplete' | 'unframed' {
  const end = buffer.indexOf(HEAD_END);
  if (end < 0) return 'incomplete';
  const head = buffer.toString('latin1', 0, end);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!length) return 'unframed';
  return { status: Number(head.slice(9, 12)), headBytes: end + HEAD_END.length, bodyBytes: Number(length[1]) };
}

export async function sendRequests(url: string, options: SenderOptions): Promise<SenderRun> {
  const { hostname, port, host } = new URL(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const amount = options.amount ?? Number.POSITIVE_INFINITY;
  const run: SenderRun = { requests: 0, durationS: 0, latencies: [], errors: 0, timeouts: 0, non2xx: 0, statusCodes: {} };
  const started = process.hrtime.bigint();
  if (options.durationS === undefined && options.amount === undefined) throw new TypeError('sendRequests needs a durationS, an amount or both');
  const deadline = Date.now() + (options.durationS ?? Number.POSITIVE_INFINITY) * 1000;
  let issued = 0;
  const elapsedMs = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

  const connection = () =>
    new Promise<void>((resolve) => {
      let socket: Socket;
      let buffered: Buffer = Buffer.alloc(0);
      let sentAt: bigint | null = null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let finished = false;
      const finish = () => {
        finished = true;
        socket.end();
        resolve();
      };

      const next = () => {
        sentAt = null;
        if (issued >= amount || Date.now() >= deadline) return finish();
        const bytes = encode(host, options.request(issued++));
        sentAt = process.hrtime.bigint();
        timer = setTimeout(() => fail('timeout'), timeoutMs);
        socket.write(bytes);
      };
      // The request in flight is lost with its connection; the next goes
      // on a new one. A connection that fails with nothing in flight (the
      // host refused it) ends this one's run.
      const fail = (kind: 'error' | 'timeout') => {
        clearTimeout(timer);
        if (finished) return;
        const inFlight = sentAt !== null;
        if (kind === 'timeout') run.timeouts++;
        else run.errors++;
        if (inFlight) run.requests++;
        socket.removeAllListeners();
        socket.on('error', () => {});
        socket.destroy();
        if (!inFlight) {
          finished = true;
          return resolve();
        }
        open();
      };
      const open = () => {
        sentAt = null;
        buffered = Buffer.alloc(0);
        socket = connect(Number(port), hostname);
        socket.setNoDelay(true);
        socket.once('connect', next);
        socket.on('error', () => fail('error'));
        socket.on('end', () => fail('error'));
        socket.on('data', (chunk: Buffer) => {
          buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
          const head = readHead(buffered);
          if (head === 'incomplete') return;
          if (head === 'unframed' || sentAt === null) return fail('error');
          if (buffered.length < head.headBytes + head.bodyBytes) return;
          clearTimeout(timer);
          const latency = elapsedMs(sentAt);
          buffered = buffered.subarray(head.headBytes + head.bodyBytes);
          run.requests++;
          run.statusCodes[head.status] = (run.statusCodes[head.status] ?? 0) + 1;
          if (head.status >= 200 && head.status < 300) run.latencies.push(latency);
          else run.non2xx++;
          next();
        });
      };
      open();
    });

  await Promise.all(Array.from({ length: options.connections }, connection));
  run.durationS = elapsedMs(started) / 1000;
  return run;
}
