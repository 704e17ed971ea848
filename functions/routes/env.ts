import { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '../deps';
import type { AuthCache } from '../services/auth/cache';
import type { AuthState } from '../services/auth/sessions';
import { validationHook } from './errors';

export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    auth: AuthState | null;
    // One per app instance (createApp): see functions/services/auth/cache.ts.
    authCache: AuthCache;
  };
};

// Every sub-app renders zod failures the same way.
export const router = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
