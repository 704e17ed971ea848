import { z } from 'zod';

// Read and validated once, by the host at start; nothing else reads the
// environment.

// wrangler.toml ships PUBLIC_URL = https://relate.example.com so the setting
// is visible where a deployer looks; invitation links built from it would
// lead nowhere, so a host refuses every address under the example domains
// (RFC 2606) rather than run on one.
const EXAMPLE_HOST = /(^|\.)example\.(com|net|org)$|(^|\.)example$/i;

const publicUrl = z
  .url({ protocol: /^https?$/, abort: true, error: 'PUBLIC_URL must be an http(s) address, like https://crm.yourcompany.com' })
  .refine((url) => !EXAMPLE_HOST.test(new URL(url).hostname), {
    error: (issue) =>
      `PUBLIC_URL is still the placeholder ${String(issue.input)}: set it to the address people open Relate at (invitation links are built from it)`,
  });

const appSettings = {
  // Where the SPA is served from, for invitation links and cookie security.
  PUBLIC_URL: publicUrl,
  // Days a deleted contact or company can be restored before the nightly
  // maintenance purges it for good.
  UNDO_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Local development and tests only: outbound webhooks may target this
  // machine (127.0.0.0/8, ::1, localhost). Never on unless set: a
  // subscription could otherwise reach services that trust loopback.
  WEBHOOKS_ALLOW_LOOPBACK: z.enum(['0', '1', 'true', 'false']).default('0'),
};

export const appConfigSchema = z.object({ ...appSettings, PUBLIC_URL: publicUrl.default('http://localhost:8787') });

// A Worker reaches libSQL over HTTP only (@libsql/client/web), and has no
// sensible default for where it is served from.
export const workerConfigSchema = z.object({
  ...appSettings,
  PUBLIC_URL: z.string({ error: 'PUBLIC_URL is not set: the address people open Relate at, in wrangler.toml [vars]' }).pipe(publicUrl),
  LIBSQL_URL: z
    .string({ error: 'LIBSQL_URL is not set: the libSQL database URL (libsql://<db>-<org>.turso.io); wrangler secret put LIBSQL_URL, or .dev.vars for wrangler dev' })
    .refine((url) => /^(libsql|https?|wss?):\/\/[^/]/.test(url), {
      error: 'LIBSQL_URL must be a libsql://, https:// or http:// URL: a Worker reaches libSQL over HTTP (file: URLs are for the Node host)',
    }),
  LIBSQL_AUTH_TOKEN: z.string().optional(),
});

export type AppConfig = {
  publicUrl: string;
  undoWindowMs: number;
  webhooksAllowLoopback?: boolean;
};

export type WorkerConfig = AppConfig & { libsql: { url: string; authToken?: string } };

const appConfigOf = (parsed: { PUBLIC_URL: string; UNDO_WINDOW_DAYS: number; WEBHOOKS_ALLOW_LOOPBACK: string }): AppConfig => ({
  publicUrl: parsed.PUBLIC_URL.replace(/\/$/, ''),
  undoWindowMs: parsed.UNDO_WINDOW_DAYS * 86_400_000,
  webhooksAllowLoopback: parsed.WEBHOOKS_ALLOW_LOOPBACK === '1' || parsed.WEBHOOKS_ALLOW_LOOPBACK === 'true',
});

export function parseAppConfig(env: Record<string, unknown>): AppConfig {
  const result = appConfigSchema.safeParse(env);
  if (!result.success) throw new Error(`Invalid configuration: ${problemsOf(result.error).join('; ')}`);
  return appConfigOf(result.data);
}

// Every problem at once, each naming its setting, so a deployer fixes them
// in one round rather than one per deploy.
export function parseWorkerConfig(env: Record<string, unknown>): { ok: true; config: WorkerConfig } | { ok: false; problems: string[] } {
  const result = workerConfigSchema.safeParse(env);
  if (!result.success) return { ok: false, problems: problemsOf(result.error) };
  const { LIBSQL_URL: url, LIBSQL_AUTH_TOKEN: authToken } = result.data;
  return { ok: true, config: { ...appConfigOf(result.data), libsql: { url, authToken } } };
}

// Our own messages start with the setting's name; zod's are prefixed with it.
function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.join('.');
    return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
  });
}
