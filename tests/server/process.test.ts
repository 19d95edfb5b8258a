/**
 * The server as a process: settings from the environment, the set-up link on start, graceful shutdown on SIGTERM
 * and SIGINT (the database closed), and the set-up-link command, which waits its turn for PGlite's files.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../src/server/config';
import { LOCK_FILE } from '../../src/server/db/directory-lock';
import { openWhenReachable, startServer, startupDelay } from '../../src/server/run';
import { TEST_DATABASE_URL } from './support/databases';

const ROOT = path.resolve(__dirname, '../..');
const SETUP_LINE =
  /^Meekijken: open (http:\/\/localhost:\d+)\/setup#token=([A-Za-z0-9_-]{43}) to set up your school \(valid for 7 days, until \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/;

describe('settings', () => {
  it('reads PORT, HOST, DATA_DIR, DATABASE_URL, TRUST_PROXY with their defaults', () => {
    expect(readConfig({})).toMatchObject({
      port: 4173,
      host: '127.0.0.1',
      dataDir: path.resolve('data'),
      trustProxy: 0,
    });
    expect(readConfig({}).databaseUrl).toBeUndefined();
    const config = readConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/srv/meekijken',
      DATABASE_URL: 'postgres://x@db/m',
      TRUST_PROXY: '1',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/meekijken',
      databaseUrl: 'postgres://x@db/m',
      trustProxy: 1,
    });
  });

  it('refuses a PORT or TRUST_PROXY that is not a whole number in range, naming it', () => {
    expect(() => readConfig({ PORT: 'http' })).toThrow(/PORT must be a whole number from 0 to 65535; it is "http"/);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });

  it('sends e-mail only with SMTP_HOST, and then needs MAIL_FROM and PUBLIC_URL', () => {
    expect(readConfig({}).mail).toBeUndefined();
    const smtp = {
      SMTP_HOST: 'smtp.school.nl',
      MAIL_FROM: 'Meekijken <meekijken@school.nl>',
      PUBLIC_URL: 'https://mk.school.nl/',
    };
    expect(readConfig(smtp).mail).toEqual({
      smtp: { host: 'smtp.school.nl', port: 587, secure: false, requireTls: false },
      from: 'Meekijken <meekijken@school.nl>',
      publicUrl: 'https://mk.school.nl',
    });
    expect(
      readConfig({ ...smtp, SMTP_SECURE: 'true', SMTP_USER: 'mk', SMTP_PASSWORD: 'geheim', SMTP_REQUIRE_TLS: '1' }).mail
        ?.smtp,
    ).toEqual({ host: 'smtp.school.nl', port: 465, secure: true, requireTls: true, user: 'mk', password: 'geheim' });
    // A password over port 587 needs STARTTLS unless said otherwise.
    expect(readConfig({ ...smtp, SMTP_USER: 'mk', SMTP_PASSWORD: 'geheim' }).mail?.smtp.requireTls).toBe(true);
    expect(
      readConfig({ ...smtp, SMTP_USER: 'mk', SMTP_PASSWORD: 'geheim', SMTP_REQUIRE_TLS: 'false' }).mail?.smtp
        .requireTls,
    ).toBe(false);
    expect(() => readConfig({ SMTP_PORT: '25' })).toThrow(/SMTP_PORT set without SMTP_HOST/);
    expect(() => readConfig({ ...smtp, MAIL_FROM: '' })).toThrow(/MAIL_FROM/);
    expect(() => readConfig({ ...smtp, PUBLIC_URL: undefined })).toThrow(/PUBLIC_URL must say where links/);
    expect(() => readConfig({ ...smtp, PUBLIC_URL: 'mk.school.nl' })).toThrow(/PUBLIC_URL must be an http/);
    expect(() => readConfig({ ...smtp, SMTP_USER: 'mk' })).toThrow(/SMTP_USER and SMTP_PASSWORD/);
    expect(() => readConfig({ ...smtp, SMTP_SECURE: 'ja' })).toThrow(/SMTP_SECURE must be true or false/);
  });
});

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-server-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('starting while PostgreSQL is away', () => {
  it('waits and tries again, doubling up to 30 s, with a log line that names the host but never the password', async () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(startupDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    const lines: string[] = [];
    const waits: number[] = [];
    // Nothing listens on port 1: the database is "away" three times; then the test gives up waiting.
    const config = { ...readConfig({ DATABASE_URL: 'postgres://meekijken:secret-password@127.0.0.1:1/meekijken' }) };
    const gaveUp = new Error('test: enough waiting');
    await expect(
      openWhenReachable(
        config,
        async (ms) => {
          waits.push(ms);
          if (waits.length === 3) throw gaveUp;
        },
        (line) => lines.push(line),
      ),
    ).rejects.toBe(gaveUp);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(lines[0]).toMatch(
      /^Meekijken: PostgreSQL at 127\.0\.0\.1:1 does not answer \(.*ECONNREFUSED.*\); trying again in 1 s\.$/,
    );
    expect(lines.join('\n')).not.toContain('secret-password');
  });

  it.runIf(TEST_DATABASE_URL)('starts as soon as the database answers', async () => {
    const config = { ...readConfig({ DATABASE_URL: 'postgres://meekijken:x@127.0.0.1:1/meekijken' }) };
    let waited = 0;
    const database = await openWhenReachable(
      config,
      async () => {
        // While the server waits, PostgreSQL comes up (here: the URL starts pointing at one that runs).
        waited += 1;
        config.databaseUrl = TEST_DATABASE_URL;
      },
      () => {},
    );
    expect(waited).toBe(1);
    expect(await database.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await database.close();
  });

  it('does not wait for what waiting cannot fix: a PGlite directory in use ends the start at once', async () => {
    const dataDir = tempDir();
    const first = await openWhenReachable({ ...readConfig({ DATA_DIR: dataDir }) });
    let waited = false;
    await expect(
      openWhenReachable({ ...readConfig({ DATA_DIR: dataDir }) }, async () => void (waited = true)),
    ).rejects.toThrow(/in use by process/);
    expect(waited).toBe(false);
    await first.close();
  });
});

describe('starting and stopping in this process', () => {
  it('prints the set-up link once, and stop() closes the HTTP server, then the database', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const dataDir = tempDir();
    const config = { ...readConfig({ PORT: '0', DATA_DIR: dataDir }), distDir: path.join(dataDir, 'no-dist') };
    try {
      const server = await startServer(config, { logger: false });
      expect(lines).toHaveLength(1);
      // One line of it is the link itself; rules around it make it stand out.
      expect(lines[0]!.split('\n').filter((line) => SETUP_LINE.test(line))).toHaveLength(1);
      expect(lines[0]).toMatch(/^\n=+\n/);
      expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({ ok: true, database: 'pglite' });
      expect(existsSync(path.join(dataDir, 'pglite', LOCK_FILE))).toBe(true);

      await server.stop();
      expect(server.app.server.listening).toBe(false);
      await expect(server.database.query('SELECT 1')).rejects.toThrow(/closed/);
      expect(existsSync(path.join(dataDir, 'pglite', LOCK_FILE))).toBe(false);

      // Started again without a school: a link exists (unused), so none is printed; it cannot be shown twice.
      const again = await startServer(config, { logger: false });
      expect(lines).toHaveLength(1);
      await again.stop();
    } finally {
      log.mockRestore();
    }
  });
});

/** A child process with its output as lines, and a way to wait for a line. */
function run(script: string, env: Record<string, string>) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        const match = line.match(waiter.pattern);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor: (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const found = lines.map((line) => line.match(pattern)).find(Boolean);
        if (found) return resolve(found);
        waiters.push({ pattern, resolve });
        void exited.then((code) =>
          reject(new Error(`exited (${code}) before printing ${pattern}:\n${lines.join('\n')}`)),
        );
      }),
  };
}

describe('the server process (src/server/main.ts from source; `npm start` runs it built)', () => {
  it('starts from the environment, prints the set-up link, shuts down gracefully on SIGTERM and SIGINT', async () => {
    const dataDir = tempDir();
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DIST_DIR: path.join(dataDir, 'no-dist'),
      LOG_LEVEL: 'info',
    };
    const first = run('src/server/main.ts', env);
    const [, base, token] = await first.waitFor(SETUP_LINE);
    const [, url] = await first.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    expect(base).toBe(url!.replace('127.0.0.1', 'localhost'));
    const setup = await fetch(`${url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, schoolName: 'De Regenboog', adminName: 'Anna' }),
    });
    expect(setup.status).toBe(201);

    // While the server holds PGlite's files, the set-up-link command refuses instead of opening them too.
    const refused = run('src/server/setup-link-cli.ts', env);
    expect(await refused.exited).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/no set-up link was made.*in use by process/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.lines.join('\n')).toMatch(/"signal":"SIGTERM".*shutting down[\s\S]*stopped; the database is closed/);

    // With a school, a restart prints no link; Ctrl-C (SIGINT) stops it as well.
    const second = run('src/server/main.ts', env);
    const [, secondUrl] = await second.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    expect((await fetch(`${secondUrl}/api/health`)).status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(second.lines.some((line) => SETUP_LINE.test(line))).toBe(false);

    // Stopped, the command issues a link for another school.
    const link = run('src/server/setup-link-cli.ts', { ...env, PORT: '8080' });
    expect(await link.exited).toBe(0);
    expect(link.lines.join('\n')).toMatch(
      /Meekijken: open http:\/\/localhost:8080\/setup#token=[A-Za-z0-9_-]{43} to set up your school/,
    );
  }, 60_000); // two starts of PGlite

  it('exits with a clear message when it cannot start', async () => {
    const failing = run('src/server/main.ts', { PORT: 'eighty' });
    expect(await failing.exited).toBe(1);
    expect(failing.lines.join('\n')).toMatch(/the server did not start\. PORT must be a whole number/);
  });
});
