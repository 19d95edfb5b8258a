/**
 * Serving the built app (src/server/http/static-files.ts): cache headers by file, MIME types of everything
 * `vite build` emits (with vite-plugin-pwa: sw.js, workbox-*.js, manifest.webmanifest …) and the SPA fallback.
 * No database is involved, so this runs on PGlite only.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { openDatabase, type Database } from '../../src/server/db/database';

const ROOT = path.resolve(__dirname, '../..');
const IMMUTABLE = 'public, max-age=31536000, immutable';
const TYPES: Record<string, RegExp> = {
  '.html': /^text\/html; charset=utf-8$/,
  '.js': /^(text|application)\/javascript; charset=utf-8$/,
  '.css': /^text\/css; charset=utf-8$/,
  '.json': /^application\/json/,
  '.webmanifest': /^application\/manifest\+json/,
  '.svg': /^image\/svg\+xml/,
  '.png': /^image\/png$/,
};
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
});
afterAll(() => database.close());

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesIn(full) : [full];
  });
}

describe('the built app, as vite build emits it', () => {
  let dist: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'meekijken-dist-'));
    await promisify(execFile)('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir'], { cwd: ROOT });
    app = await buildServer({ database, distDir: dist });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves every file of the build with its MIME type, hashed assets for a year and the rest revalidated', async () => {
    const files = filesIn(dist)
      .map((file) => path.relative(dist, file).split(path.sep).join('/'))
      .filter((file) => !/\.(?:br|gz)$/.test(file));
    expect(files).toEqual(expect.arrayContaining(['index.html', 'sw.js', 'manifest.webmanifest']));
    expect(files.some((file) => /^workbox-[\w-]+\.js$/.test(file))).toBe(true);
    for (const file of files) {
      const response = await app.inject({ method: 'GET', url: `/${file}` });
      expect(response.statusCode, file).toBe(200);
      const type = TYPES[path.extname(file)];
      expect(type, `a known type for ${file}`).toBeDefined();
      expect(response.headers['content-type'], file).toMatch(type!);
      expect(response.headers['cache-control'], file).toBe(file.startsWith('assets/') ? IMMUTABLE : 'no-cache');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('sends text files compressed as the browser accepts them (brotli first, then gzip), each byte as built', async () => {
    // The app's entry, as the page names it (its file name is the build's choice).
    const script = [
      ...readFileSync(path.join(dist, 'index.html'), 'utf8').matchAll(/<script[^>]+src="\/(assets\/[^"]+\.js)"/g),
    ]
      .map((match) => match[1]!)
      .at(-1)!;
    expect(script).toBeDefined();
    expect(filesIn(dist).map((file) => path.relative(dist, file).split(path.sep).join('/'))).toContain(script);
    const cases = [
      ['br, gzip, deflate', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
      ['identity', undefined, (body: Buffer) => body],
    ] as const;
    // Every text file of 1 KB or more has its copies (the manifest is smaller: it goes as it is).
    for (const url of [`/${script}`, '/', '/observations/123', '/sw.js']) {
      const file = url === '/' || url.startsWith('/observations') ? 'index.html' : url.slice(1);
      const original = readFileSync(path.join(dist, file));
      for (const [accepted, encoding, decode] of cases) {
        const response = await app.inject({ method: 'GET', url, headers: { ...HTML, 'accept-encoding': accepted } });
        expect(response.statusCode, url).toBe(200);
        expect(response.headers['content-encoding'], `${url} for ${accepted}`).toBe(encoding);
        if (encoding) {
          expect(response.headers.vary, url).toMatch(/accept-encoding/i);
          expect(response.rawPayload.length, url).toBeLessThan(original.length);
        }
        expect(decode(response.rawPayload).equals(original), `${url} for ${accepted}`).toBe(true);
        expect(response.headers['cache-control'], url).toBe(url.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
      }
    }
  });
});

describe('static files and the SPA fallback', () => {
  let dist: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'meekijken-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Meekijken</title>');
    writeFileSync(path.join(dist, 'assets/index-AbC123.js'), 'export {};');
    writeFileSync(path.join(dist, 'sw.js'), 'self;');
    app = await buildServer({ database, distDir: dist });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the shell at /', async () => {
    const response = await app.inject({ method: 'GET', url: '/', headers: HTML });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Meekijken</title>');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it.each(['/observations/123', '/observations/123/report?x=1', '/instruments/lesobservatie%401.0.0', '/people'])(
    'answers the page %s with the shell, revalidated',
    async (url) => {
      for (const method of ['GET', 'HEAD'] as const) {
        const response = await app.inject({ method, url, headers: HTML });
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.headers['cache-control']).toBe('no-cache');
        if (method === 'GET') expect(response.body).toContain('<title>Meekijken</title>');
      }
    },
  );

  it.each([
    ['GET', '/assets/index-gone.js', HTML],
    ['GET', '/missing.js', { accept: '*/*' }],
    ['GET', '/api/nothing', HTML],
    ['GET', '/api', HTML],
    ['POST', '/observations/123', HTML],
  ] as const)('answers %s %s with a JSON 404, not the shell', async (method, url, headers) => {
    const response = await app.inject({ method, url, headers });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('not-found');
  });

  it('never serves a file outside dist', async () => {
    writeFileSync(path.join(path.dirname(dist), 'meekijken-secret.txt'), 'SECRET');
    for (const url of [
      '/../meekijken-secret.txt',
      '/%2e%2e/meekijken-secret.txt',
      '/..%2fmeekijken-secret.txt',
      '/%2e%2e%2fmeekijken-secret.txt',
    ]) {
      for (const accept of ['text/html', '*/*']) {
        const response = await app.inject({ method: 'GET', url, headers: { accept } });
        expect(response.body, url).not.toContain('SECRET');
      }
    }
    rmSync(path.join(path.dirname(dist), 'meekijken-secret.txt'));
  });

  it('says the app is not built when there is no dist', async () => {
    const bare = await buildServer({ database, distDir: path.join(dist, 'nowhere') });
    const response = await bare.inject({ method: 'GET', url: '/', headers: HTML });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'app-not-built', message: expect.stringMatching(/npm run build/) },
    });
    expect((await bare.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    await bare.close();
  });
});
