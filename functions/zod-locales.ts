// Stands in for zod's locales index in the Worker bundle (wrangler.toml
// [alias]). zod re-exports every locale as `z.locales`, so any use of the
// `z` namespace as a value (as @hono/zod-openapi makes) keeps all of them:
// ~260 KB of minified messages in languages we never show. Validation
// messages stay English, which zod registers from en.js directly.
export { default as en } from 'zod/v4/locales/en.js';
