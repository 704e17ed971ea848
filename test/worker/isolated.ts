import { Miniflare } from 'miniflare';
import { miniflareOptions, PUBLIC_URL, workerBundle } from './harness';

export type Logged = { level: string; message: string };

/**
 * The deployed bundle alone in workerd with exactly these bindings (no database server behind it
 * unless a binding points at one), keeping what the Worker writes to its console: the structured
 * log lines are what Cloudflare's Workers Logs would show.
 */
export async function isolatedWorker(bindings: Record<string, string>) {
  const logs: Logged[] = [];
  const options = miniflareOptions(await workerBundle(), { libsqlUrl: 'unused' });
  const mf = new Miniflare({ ...options, bindings, handleStructuredLogs: (line: Logged) => void logs.push(line) });
  await mf.ready;
  const request = async (path: string, init?: RequestInit) => {
    const res = await mf.dispatchFetch(`${PUBLIC_URL}${path}`, init as never);
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
    return { status: res.status, headers: res.headers, text, json };
  };
  /** The Worker's error lines, parsed (logError writes one JSON object per line). */
  const errors = () => logs.filter((l) => l.level === 'error').map((l) => JSON.parse(l.message) as Record<string, any>);
  return { mf, worker: await mf.getWorker(), request, errors, dispose: () => mf.dispose() };
}

export type IsolatedWorker = Awaited<ReturnType<typeof isolatedWorker>>;
