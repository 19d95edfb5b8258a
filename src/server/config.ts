/** The server's settings, from environment variables (README, "School server"). */
import path from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  /** A PostgreSQL URL; without it PGlite keeps the data in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Reverse proxies in front whose X-Forwarded-* headers are believed (0 = none). */
  trustProxy: number;
  /** Where people reach the server (`https://meekijken.school.nl`), for the set-up link; else http://localhost:PORT. */
  publicUrl?: string;
  logLevel: string;
  distDir: string;
  /** E-mail notices; absent (no SMTP_HOST): the server sends no e-mail at all. */
  mail?: MailConfig;
}

/** How the server sends e-mail (README, "E-mail and calendars"). */
export interface MailConfig {
  smtp: {
    host: string;
    port: number;
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it (or always, `requireTls`). */
    secure: boolean;
    requireTls: boolean;
    user?: string;
    password?: string;
  };
  /** The From address, `Meekijken <meekijken@school.nl>`. */
  from: string;
  /** Where links in an e-mail point: PUBLIC_URL. */
  publicUrl: string;
}

const DEFAULT_PORT = 4173;

export function readConfig(env: Record<string, string | undefined>): ServerConfig {
  return {
    port: integer(env, 'PORT', DEFAULT_PORT, 0, 65_535),
    // Only this machine by default. A school sets HOST=0.0.0.0 behind a TLS reverse proxy.
    host: env.HOST || '127.0.0.1',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    trustProxy: integer(env, 'TRUST_PROXY', 0, 0, 10),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
    logLevel: env.LOG_LEVEL || 'info',
    distDir: path.resolve(env.DIST_DIR || 'dist'),
    ...mailConfig(env),
  };
}

/** SMTP_* and MAIL_FROM: all or nothing, and links in e-mail need PUBLIC_URL. */
function mailConfig(env: Record<string, string | undefined>): { mail?: MailConfig } {
  if (!env.SMTP_HOST) {
    const stray = ['SMTP_PORT', 'SMTP_USER', 'SMTP_PASSWORD', 'MAIL_FROM'].filter((name) => env[name]);
    if (stray.length > 0) throw new Error(`${stray.join(', ')} set without SMTP_HOST: set SMTP_HOST too, or neither.`);
    return {};
  }
  if (!env.MAIL_FROM) throw new Error('SMTP_HOST is set, so MAIL_FROM must say whom e-mail comes from.');
  if (!env.PUBLIC_URL) throw new Error('SMTP_HOST is set, so PUBLIC_URL must say where links in e-mail point.');
  if (!/^https?:\/\/[^/\s]+/.test(env.PUBLIC_URL))
    throw new Error(`PUBLIC_URL must be an http(s) URL; it is "${env.PUBLIC_URL}".`);
  if (!!env.SMTP_USER !== !!env.SMTP_PASSWORD) throw new Error('Set both SMTP_USER and SMTP_PASSWORD, or neither.');
  const secure = flag(env, 'SMTP_SECURE');
  return {
    mail: {
      smtp: {
        host: env.SMTP_HOST,
        port: integer(env, 'SMTP_PORT', secure ? 465 : 587, 1, 65_535),
        secure,
        // With a password and no TLS from the start, STARTTLS is required unless said otherwise: a password never
        // goes over a connection someone stripped of its STARTTLS.
        requireTls: env.SMTP_REQUIRE_TLS ? flag(env, 'SMTP_REQUIRE_TLS') : !secure && !!env.SMTP_USER,
        ...(env.SMTP_USER ? { user: env.SMTP_USER, password: env.SMTP_PASSWORD } : {}),
      },
      from: env.MAIL_FROM,
      publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    },
  };
}

function flag(env: Record<string, string | undefined>, name: string): boolean {
  const text = (env[name] ?? '').toLowerCase();
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1') return true;
  throw new Error(`${name} must be true or false; it is "${env[name]}".`);
}

/** Where PGlite keeps its files inside DATA_DIR. */
export const pgliteDir = (config: ServerConfig): string => path.join(config.dataDir, 'pglite');

function integer(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}; it is "${text}".`);
  return value;
}
