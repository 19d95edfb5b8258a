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
  };
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
