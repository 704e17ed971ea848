import { Hono } from 'hono';
import { NONCE, secureHeaders, type SecureHeadersVariables } from 'hono/secure-headers';

// The API reference: Swagger UI from our own static files (copied from
// swagger-ui-dist at build time), because the Worker has no CDN to rely on
// offline and a page should not depend on a third-party host.
function apiDocsPage(specUrl: string, nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relate API reference</title>
<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script nonce="${nonce}">
window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#reference', deepLinking: true });
</script>
</body>
</html>`;
}

// The page's own policy, like the SPA's (web/svelte.config.js): scripts
// only from our origin and the one inline script that starts Swagger UI,
// carrying this response's nonce. Swagger UI draws its icons as data: URIs.
export const apiDocs = new Hono<{ Variables: SecureHeadersVariables }>().get(
  '/',
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", NONCE],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  }),
  (c) => c.html(apiDocsPage('/api/openapi.json', c.get('secureHeadersNonce')!)),
);
