/**
 * Security headers on every response, and a check that state-changing requests come from the app's own origin.
 */
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors';

/**
 * What the built app needs, and no more: its own scripts, styles, workers, manifest and API; images also as
 * data:/blob: URLs (a chart's download, an icon in CSS). No inline script or style, no framing by other sites.
 * Svelte's `style:` directives and Chart.js set styles through the CSSOM, which CSP does not restrict.
 * No `'unsafe-eval'`: the instrument validator is generated ahead of time (src/core/instrument/schema-check.ts), so
 * nothing in the app builds code from strings.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Over HTTPS (as the trusted proxy says, TRUST_PROXY): browsers use HTTPS only for this host for a year, so nobody on
 * the school network can serve a tablet a plain-HTTP page under the school's name. Not for subdomains: a school's
 * other sites are not the server's to decide. Never over plain HTTP, where the header means nothing and would pin a
 * host that has no TLS yet.
 */
const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

export function installSecurity(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (request.protocol === 'https') reply.header('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    // Answers about people stay out of every cache: tablets are shared, and proxies sit in between.
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  // Belt and braces on top of SameSite=Strict: a browser names the page's origin on a cross-site POST, and no
  // other site's page may change anything here. Requests without Origin (curl, a script with a Bearer token) pass.
  // Only the host is compared, not the scheme: behind a TLS proxy without TRUST_PROXY the server sees http while the
  // browser says https, and a cross-site page differs in its host anyway.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (SAFE_METHODS.has(request.method) || origin === undefined) return;
    if (hostOf(origin) === withoutDefaultPort(request.host)) return;
    return reply.status(403).send(errorBody('cross-origin', 'This request came from another site; it was refused.'));
  });
}

function hostOf(origin: string): string | undefined {
  try {
    return withoutDefaultPort(new URL(origin).host);
  } catch {
    return undefined;
  }
}

/** `school.nl:443` and `school.nl` are one host here (which scheme is on the default port is not compared). */
function withoutDefaultPort(host: string): string {
  return host.toLowerCase().replace(/:(80|443)$/, '');
}
