/**
 * What every route and hook reaches through the Fastify instance (`request.server.meekijken`), and what a request
 * carries once authenticated (`request.session`). Declared here once, for TypeScript.
 */
import type { SessionContext } from '../accounts/sessions';
import type { MailConfig } from '../config';
import type { MailSender } from '../mail/sender';
import type { Database } from '../db/database';
import type { ChangeFeed } from '../sync/change-feed';
import type { TeamFigures } from '../insight/team-figures';
import type { EventStreams } from '../sync/event-streams';
import type { SchoolChanges } from '../sync/school-changes';

interface ServerContext {
  database: Database;
  /** The clock of accounts and sessions (expiry, last seen); tests pass their own. */
  now: () => number;
  warnedAboutPlainHttp: boolean;
  /** The event streams of this process that hear of a school's changes (`GET /api/sync/events`). */
  changes: SchoolChanges;
  /** Where a route says a school changed, after its commit: every process's streams of that school hear it. */
  feed: ChangeFeed;
  /** The open event streams, with their limits per session and per school. */
  streams: EventStreams;
  /** Leaders' team figures: computed in worker threads, cached per school and selection (`GET /api/insight/team`). */
  teamFigures: TeamFigures;
  /** How e-mail is sent; undefined: this server sends none (no SMTP configured). */
  mail: MailConfig | undefined;
  /** The mail loop (src/server/mail/sender.ts), with `mail` only: a push wakes it when it queued something. */
  mailer: MailSender | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    meekijken: ServerContext;
  }
  interface FastifyRequest {
    /** Set by `requireSession` (src/server/http/session.ts); null on routes that do not ask for one. */
    session: SessionContext | null;
  }
}
