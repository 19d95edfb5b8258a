/**
 * The built app (`dist/`, from `vite build`) and the single-page fallback.
 *
 * Caching follows what the file names promise. Files in `assets/` carry a content hash in their name, so a browser
 * may keep them for a year without asking. Everything else keeps its name across releases (the service worker
 * `sw.js` and its workbox runtime, `index.html`, the manifest, icons), so it is revalidated every time (`no-cache`
 * still lets the browser reuse its copy after a cheap 304): a new release reaches devices on their next visit.
 *
 * Text files go out compressed: `vite build` writes a brotli and a gzip copy of each (`x.js.br`, `x.js.gz`), and the
 * browser gets the one it accepts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export async function serveApp(app: FastifyInstance, distDir: string | undefined): Promise<void> {
  const root = distDir ? path.resolve(distDir) : undefined;
  if (root && existsSync(root)) {
    await app.register(fastifyStatic, {
      root,
      // The build's brotli and gzip copies (vite.config.ts), sent to a browser that accepts them, with
      // `Vary: Accept-Encoding`; nothing is compressed per request.
      preCompressed: true,
      // Our own Cache-Control per file, below; ETag and Last-Modified stay on for cheap revalidation.
      cacheControl: false,
      setHeaders: (reply, file) => reply.header('Cache-Control', isHashedAsset(root, file) ? IMMUTABLE : REVALIDATE),
    });
  }
  const hasShell = root !== undefined && existsSync(path.join(root, 'index.html'));

  app.setNotFoundHandler(async (request, reply) => {
    if (wantsAppShell(request)) {
      if (hasShell)
        return reply.header('Cache-Control', REVALIDATE).type('text/html; charset=utf-8').sendFile('index.html');
      return notFound(reply, 'app-not-built', 'The app is not built here: run `npm run build` (or `npm start`).');
    }
    const what = request.url.startsWith('/api/') ? 'No such API route' : 'No such file';
    return notFound(reply, 'not-found', `${what}: ${request.method} ${request.url.split('?')[0]}`);
  });
}

function isHashedAsset(root: string, file: string): boolean {
  return path.relative(root, file).split(path.sep)[0] === 'assets';
}

/**
 * A page navigation the app's router handles (`/observations/123`, `/instruments/lesobservatie%401.0.0`): a GET
 * that asks for HTML, outside the API and the hashed assets. A missing script or image gets a 404 instead of the
 * shell, which the browser would refuse as the wrong type anyway and which would hide the real problem.
 */
function wantsAppShell(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.url.startsWith('/api/') || request.url === '/api' || request.url.startsWith('/assets/')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

function notFound(reply: FastifyReply, code: string, message: string) {
  return reply.status(404).send(errorBody(code, message));
}
