import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { COMMON_PASSWORDS_PATH } from '../functions/domain/common-passwords';
import { commonPasswordsFile } from '../functions/node/common-passwords';

const API_ORIGIN = 'http://localhost:8787';
const SWAGGER_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'];
const SWAGGER_URL = '/vendor/swagger-ui';

// The API reference (/api/docs, functions/routes/docs.ts) loads Swagger UI
// from our own origin: a Worker page must not depend on a third-party CDN.
// The files are emitted into the client output, so adapter-static copies
// them to build/ with everything else.
function swaggerUi(): Plugin {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const read = (file: string) => readFileSync(join(dir, file));
  return {
    name: 'relate:swagger-ui',
    configureServer(server) {
      server.middlewares.use(SWAGGER_URL, (req, res, next) => {
        const file = SWAGGER_FILES.find((f) => req.url === `/${f}`);
        if (!file) return next();
        res.setHeader('content-type', file.endsWith('.css') ? 'text/css' : 'text/javascript');
        res.end(read(file));
      });
    },
    applyToEnvironment: (environment) => environment.config.consumer === 'client',
    generateBundle() {
      for (const file of SWAGGER_FILES) {
        this.emitFile({ type: 'asset', fileName: `${SWAGGER_URL.slice(1)}/${file}`, source: read(file) });
      }
    },
  };
}

// The list new passwords are checked against (functions/domain/
// password-rule.ts), as a file of the build: the Node host reads it, the
// Worker fetches it from its static assets, neither carries it in code.
function commonPasswords(): Plugin {
  return {
    name: 'relate:common-passwords',
    applyToEnvironment: (environment) => environment.config.consumer === 'client',
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: COMMON_PASSWORDS_PATH.slice(1), source: await commonPasswordsFile() });
    },
  };
}

export default defineConfig({
  plugins: [sveltekit(), swaggerUi(), commonPasswords()],
  server: {
    proxy: {
      '/api': {
        target: API_ORIGIN,
        changeOrigin: true,
        // The API refuses a state-changing request whose Origin is not its
        // own (hono/csrf); in dev the page is served by Vite on another port,
        // so the proxy presents its requests as the API's own.
        configure: (proxy) =>
          proxy.on('proxyReq', (request) => {
            if (request.getHeader('origin')) request.setHeader('origin', API_ORIGIN);
          }),
      },
    },
    // $functions (../functions) sits outside the web root.
    fs: { allow: ['..'] },
  },
});
