import { z } from 'zod';

// Read and validated once, by the host at start; nothing else reads the
// environment.
export const appConfigSchema = z.object({
  // Where the SPA is served from, for invitation links and cookie security.
  PUBLIC_URL: z.string().url().default('http://localhost:8787'),
  // Days a deleted contact or company can be restored before the nightly
  // maintenance purges it for good.
  UNDO_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});

export type AppConfig = {
  publicUrl: string;
  undoWindowMs: number;
};

export function parseAppConfig(env: Record<string, unknown>): AppConfig {
  const parsed = appConfigSchema.parse(env);
  return { publicUrl: parsed.PUBLIC_URL.replace(/\/$/, ''), undoWindowMs: parsed.UNDO_WINDOW_DAYS * 86_400_000 };
}
