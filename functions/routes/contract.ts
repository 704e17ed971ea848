import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Permission } from '../domain/permissions';
import { requires } from './guard';
import { errorResponses, security } from './openapi';

// A workspace endpoint's contract as every route file states it: its tag,
// both ways to sign in, the permission it needs (checked before the
// handler, which then has its scope) and the failures any endpoint can
// answer, so a route file writes only what is its own. The config keeps
// its literal types (`const`), so the RPC client's types stay exact.
type Contract = Omit<RouteConfig, 'tags' | 'security' | 'middleware'> & { permission: Permission };

export const contractsOf =
  (tag: string) =>
  <const C extends Contract>({ permission, responses, ...config }: C) =>
    createRoute({ ...config, tags: [tag], security, middleware: [requires(permission)] as const, responses: { ...responses, ...errorResponses } as C['responses'] & typeof errorResponses });
