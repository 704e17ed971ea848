import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendRequests } from '../bench/sender';

// The webhooks bench's load generator (test/bench/sender.ts): what it
// counts is what the benchmark reports, so each answer must be counted
// once, by its status, and a request it could not get answered as an error.

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function listening(handle: (body: string, answer: (status: number, framed?: boolean) => void) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () =>
      handle(body, (status, framed = true) => {
        if (framed) res.writeHead(status, { 'content-type': 'application/json', 'content-length': '11' }).end('{"ok":true}');
        // Chunked: no Content-Length, which the sender does not read.
        else res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
      }),
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const request = (i: number) => ({ path: `/webhooks/${i}`, headers: { 'content-type': 'application/json', 'webhook-id': `msg_${i}` }, body: JSON.stringify({ n: i, text: 'é'.repeat(i % 5) }) });

describe('the bench sender', () => {
  it('sends exactly `amount` requests, each whole, and counts every answer by its status', async () => {
    const bodies: string[] = [];
    const url = await listening((body, answer) => {
      bodies.push(body);
      answer((JSON.parse(body) as { n: number }).n % 10 === 3 ? 500 : 202);
    });
    const run = await sendRequests(url, { connections: 4, amount: 200, request });
    expect(run).toMatchObject({ requests: 200, errors: 0, timeouts: 0, non2xx: 20, statusCodes: { 202: 180, 500: 20 } });
    expect(run.latencies).toHaveLength(180);
    expect(run.latencies.every((ms) => ms > 0 && ms < 10_000)).toBe(true);
    expect(bodies.map((b) => (JSON.parse(b) as { n: number }).n).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(bodies).toContain(request(4).body);
  });

  it('counts an answer it cannot frame, and one that never comes, as failed requests and goes on', async () => {
    let seen = 0;
    const url = await listening((_body, answer) => {
      seen++;
      if (seen === 2) answer(200, false);
      else if (seen !== 5) answer(200);
    });
    const run = await sendRequests(url, { connections: 1, amount: 8, request, timeoutMs: 300 });
    expect(run).toMatchObject({ requests: 8, errors: 1, timeouts: 1, non2xx: 0 });
    expect(run.latencies).toHaveLength(6);
  });
});
