/**
 * The school server's HTTP side: the API and the built app, on Fastify. `buildServer` returns the instance without
 * listening, so tests drive it with `inject()`; src/server/run.ts listens and shuts down.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { MailConfig } from './config';
import type { Database } from './db/database';
import './http/context';
import { installErrorHandler } from './http/errors';
import { FAILED_SIGN_INS_PER_MINUTE, failureLimit } from './http/failure-limit';
import { databaseRateLimitStore, rateCounters } from './http/rate-limits';
import { installSecurity } from './http/security';
import { serveApp } from './http/static-files';
import { TeamFigures, type TeamFiguresOptions } from './insight/team-figures';
import { PROJECT_ROOT } from './paths';
import { healthRoutes } from './routes/health';
import { mailSettingsRoutes } from './routes/mail-settings';
import { mailLinkRoutes } from './routes/mail-links';
import { peopleRoutes } from './routes/people';
import { sessionRoutes } from './routes/sessions';
import { setupRoutes } from './routes/setup';
import { signInRoutes } from './routes/sign-in';
import { syncRoutes } from './routes/sync';
import { openChangeFeed } from './sync/change-feed';
import { MailSender } from './mail/sender';
import { EventStreams } from './sync/event-streams';
import { SchoolChanges } from './sync/school-changes';

/** JSON bodies up to 5 MB: a device's sync push after a day offline, an uploaded instrument. */
export const BODY_LIMIT = 5 * 1024 * 1024;

/** Sign-in requests per minute from one address: a person mistyping a few times, not a guessing script. */
const SIGN_INS_PER_ADDRESS_PER_MINUTE = 10;

const APP_VERSION: string = (
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export interface BuildServerOptions {
  database: Database;
  /** The Vite build to serve (`dist`); without it the server answers the API only. */
  distDir?: string;
  /** Fastify's logger option: false, true, or pino options. */
  logger?: FastifyServerOptions['logger'];
  /** The clock of accounts and sessions; tests move it. */
  now?: () => number;
  /** How many reverse proxies in front to believe (X-Forwarded-For/-Proto/-Host): TRUST_PROXY. 0 = none. */
  trustProxy?: number;
  signInLimits?: { perAddressPerMinute?: number; failuresPerMinute?: number };
  /** Open event streams per session and per school (src/server/sync/event-streams.ts); tests lower them. */
  streamLimits?: { perSession: number; perSchool: number };
  /** The team figures' worker threads and cache (src/server/insight/team-figures.ts); tests lower the bounds. */
  teamFigures?: TeamFiguresOptions;
  /** E-mail notices (SMTP); without it the server sends no e-mail. */
  mail?: MailConfig;
}

/**
 * The logger with request URLs logged without their query where the query carries a secret: an unsubscribe link's
 * token or a confirmation link's (`/api/mail/unsubscribe?s=…&p=…&t=…`, `/api/mail/confirm?…`). Tokens are never logged.
 */
function withoutSecretsInUrls(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return logger;
  const options = logger === true ? {} : logger;
  return {
    ...options,
    serializers: {
      ...options.serializers,
      req: (request: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: request.method,
        url: /^\/api\/mail\/(unsubscribe|confirm)\b/.test(request.url)
          ? request.url.replace(/\?.*$/, '?…')
          : request.url,
        host: request.hostname,
        remoteAddress: request.ip,
      }),
    },
  };
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: withoutSecretsInUrls(options.logger ?? false),
    bodyLimit: BODY_LIMIT,
    // Believe the forwarded headers of the nearest `trustProxy` hops only (a client can write its own X-Forwarded-For,
    // which the proxy appends to): the rate limit then counts the address the proxy saw.
    trustProxy: options.trustProxy ? (_address: string, hop: number) => hop < (options.trustProxy ?? 0) : false,
    // Wrong types and unknown fields are refused with a 400, not quietly converted or dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  // On PostgreSQL this opens the process's listening connection: changes made through other processes on the
  // database reach this one's event streams (src/server/sync/change-feed.ts). Closed with the server.
  const changes = new SchoolChanges();
  const feed = await openChangeFeed(options.database, changes, app.log);
  app.addHook('onClose', () => feed.close());
  // Worker threads start with the first team-figures request; closing the server terminates them.
  const teamFigures = new TeamFigures(options.database, options.teamFigures, (error) =>
    app.log.error({ err: error }, 'team figures: a worker stopped; its schools are read anew when next asked for'),
  );
  app.addHook('onClose', () => teamFigures.close());
  // E-mail only with SMTP configured. The loop starts once the server is ready (after the migrations, which
  // src/server/run.ts runs before it listens) and stops with it.
  const mailer = options.mail ? new MailSender(options.database, options.mail, now, app.log) : undefined;
  if (mailer) {
    app.addHook('onReady', async () => mailer.start());
    app.addHook('onClose', () => mailer.stop());
  }
  app.decorate('meekijken', {
    database: options.database,
    now,
    warnedAboutPlainHttp: false,
    changes,
    feed,
    streams: new EventStreams(options.streamLimits),
    teamFigures,
    mail: options.mail,
    mailer,
  });
  app.decorateRequest('session', null);
  // The API speaks JSON only: a text body is "unsupported" (415), not a string that fails validation later.
  app.removeContentTypeParser('text/plain');
  installErrorHandler(app);
  installSecurity(app);
  await app.register(fastifyCookie);
  // Limits only the routes that ask for it (sign-in); its 429 passes through our error handler. It counts in the
  // database, so every process on it shares the limits (src/server/http/rate-limits.ts).
  const counters = rateCounters(options.database, now);
  await app.register(fastifyRateLimit, { global: false, store: databaseRateLimitStore(counters, now) });

  healthRoutes(app, APP_VERSION);
  setupRoutes(app);
  signInRoutes(app, {
    perAddressPerMinute: options.signInLimits?.perAddressPerMinute ?? SIGN_INS_PER_ADDRESS_PER_MINUTE,
    failures: failureLimit(options.signInLimits?.failuresPerMinute ?? FAILED_SIGN_INS_PER_MINUTE, counters),
  });
  peopleRoutes(app);
  sessionRoutes(app);
  syncRoutes(app);
  mailLinkRoutes(app);
  mailSettingsRoutes(app);
  await serveApp(app, options.distDir);
  return app;
}
