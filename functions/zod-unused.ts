// Stands in for two of zod's modules in the Worker bundle (wrangler.toml
// [alias]), for the reason functions/zod-locales.ts gives: @hono/zod-openapi
// uses the `z` namespace as a value, so every module zod re-exports stays in
// the bundle whether called or not. These two are ~42 KB minified that the
// API never calls: `z.compile` (a code-generating fast path, which workerd
// would refuse anyway, as it refuses `new Function`) and `z.fromJSONSchema`.
// Validation and `z.toJSONSchema`, which the OpenAPI document is built
// with, are untouched.
const unavailable = (what: string) => () => {
  throw new Error(`${what} is left out of the Worker bundle (functions/zod-unused.ts)`);
};

export const INVALID = Symbol.for('zod.compile.invalid');
export class ZodCompileAsyncError extends Error {}
export class ZodCompileUnsupportedError extends Error {}
export const compile = unavailable('z.compile');
export const withParser = unavailable('z.compile');
export const fromJSONSchema = unavailable('z.fromJSONSchema');
