/**
 * Sync routes (src/core/sync/protocol.ts):
 * - `POST /api/sync/push`: the device's outbox changes, upgraded from the device's record-schema version and applied in
 *   order as the signed-in person (src/server/sync/push.ts);
 * - `GET /api/sync/pull?since=&schemaVersion=`: what the person may see, changed since their cursor
 *   (src/server/sync/pull.ts);
 * - `GET /api/insight/team?teamId=&year=&instrumentId=`: a leader's team figures, computed in worker threads and
 *   cached (src/server/insight/team-figures.ts);
 * - `POST /api/school/records`: an administrator uploads a device-only school's records, once (src/server/sync/import-records.ts);
 * - `POST /api/school/demo`: an administrator loads the demo school into an empty school, to try everything out.
 */
import type { FastifyInstance } from 'fastify';
import { kindOfTable } from '../../core/backup/backup';
import { PULL_PAGE, STREAM_BEAT_MS, type PushRequest } from '../../core/sync/protocol';
import { PullResponseShape, PushRequestShape, PushResponseShape } from '../../core/sync/protocol-shapes';
import {
  CURRENT_SCHEMA_VERSION,
  OLDEST_SCHEMA_VERSION,
  UNVERSIONED_SCHEMA_VERSION,
  upgradeChange,
  versionStanding,
} from '../../core/sync/sync-versions';
import { pushChanges } from '../sync/push';
import { pullChanges } from '../sync/pull';
import { importRecords, UploadRefused, type RecordsByKind } from '../sync/import-records';
import { TeamFiguresBusy } from '../insight/team-figures';
import { WorkerFailed, WorkerStopped } from '../insight/worker-pool';
import { demoRecords, generateDemo } from '../sync/demo-records';
import { ApiError, errorBody, errorResponses } from '../http/errors';
import { requireAdministrator, requireSession, signedIn } from '../http/session';
import { schoolStalledCycles } from '../insight/stalled';

const anyObject = { type: 'object', additionalProperties: true } as const;

const importResponseSchema = {
  type: 'object',
  required: ['added', 'skipped'],
  properties: { added: { type: 'integer' }, skipped: { type: 'integer' } },
} as const;

export function syncRoutes(app: FastifyInstance): void {
  app.post<{ Body: PushRequest }>(
    '/api/sync/push',
    {
      preHandler: requireSession,
      schema: {
        body: PushRequestShape,
        response: { 200: PushResponseShape, ...errorResponses },
      },
    },
    async (request) => {
      const session = signedIn(request);
      const version = request.body.schemaVersion ?? UNVERSIONED_SCHEMA_VERSION;
      refuseOutsideWindow(version);
      const changes =
        version === CURRENT_SCHEMA_VERSION
          ? request.body.changes
          : request.body.changes.map((change) => upgradeChange(change, version));
      const results = await pushChanges(
        app.meekijken.database,
        session,
        changes,
        app.meekijken.now(),
        (change, error) =>
          request.log.error(
            { err: error, sessionId: session.sessionId, kind: change.kind },
            'push: a change could not be stored; refused alone',
          ),
        { notify: app.meekijken.mailer !== undefined },
      );
      if (app.meekijken.mailer && results.some((r) => r.outcome === 'applied')) app.meekijken.mailer.wake();
      // After the push's commit (pushChanges has returned): every server process's streams of the school hear it.
      if (results.some((r) => r.outcome === 'applied')) await app.meekijken.feed.publish(session.schoolId);
      const refused = results.filter((r) => r.outcome === 'refused');
      if (refused.length > 0)
        request.log.info(
          { sessionId: session.sessionId, refused: refused.map((r) => r.reason) },
          'push: changes refused',
        );
      return { results };
    },
  );

  app.get<{ Querystring: { since?: string; limit?: number; schemaVersion?: string } }>(
    '/api/sync/pull',
    {
      preHandler: requireSession,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            since: { type: 'string', pattern: '^[0-9]{1,15}$' },
            limit: { type: 'integer', minimum: 1, maximum: PULL_PAGE },
            // The record-schema version the device writes (1…999999). A query parameter, as `since`: a string of
            // digits (query values are not converted, see app.ts).
            schemaVersion: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' },
          },
        },
        response: { 200: PullResponseShape, ...errorResponses },
      },
    },
    async (request) => {
      const { schemaVersion } = request.query;
      // The records go as the server holds them: every version in the window reads them correctly (sync-versions.ts).
      refuseOutsideWindow(schemaVersion === undefined ? UNVERSIONED_SCHEMA_VERSION : Number(schemaVersion));
      return pullChanges(
        app.meekijken.database,
        signedIn(request),
        Number(request.query.since ?? 0),
        request.query.limit ?? PULL_PAGE,
      );
    },
  );

  // Server-Sent Events: "changed" whenever a push of this school applied something, through whichever server process
  // on the database (change-feed.ts, school-changes.ts), within the limits of event-streams.ts.
  const { streams } = app.meekijken;
  // Before the server stops listening: it waits for open connections, and a stream never ends by itself.
  app.addHook('preClose', async () => streams.endAll());
  app.get('/api/sync/events', { preHandler: requireSession }, (request, reply) => {
    const { schoolId, sessionId, expiresAt } = signedIn(request);
    if (!streams.admit(schoolId, sessionId)) {
      const message =
        'This school has as many open change streams as the server keeps; this device hears of changes at its next sync.';
      return reply.status(429).header('retry-after', '60').send(errorBody('too-many-streams', message));
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // nginx passes each event on at once, even where it buffers other answers.
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    // A device that loses the stream tries again after 5 s (the browser's EventSource does this by itself). A beat at
    // once and every 25 s: it keeps proxies from closing a quiet stream, and tells the device the stream is alive
    // (an event, not a comment, so the page sees it): a device that stops hearing beats polls again as often as it
    // does without a stream.
    raw.write('retry: 5000\n\nevent: beat\ndata: \n\n');
    const stop = app.meekijken.changes.subscribe(schoolId, () => raw.write('event: changed\ndata: \n\n'));
    // The beat also ends the stream once its session has reached its absolute lifetime.
    const beat = setInterval(
      () => (app.meekijken.now() >= expiresAt ? stream.end() : raw.write('event: beat\ndata: \n\n')),
      STREAM_BEAT_MS,
    );
    const stream = {
      schoolId,
      sessionId,
      end: () => {
        clearInterval(beat);
        stop();
        streams.remove(stream);
        if (!raw.writableEnded) raw.end();
      },
    };
    streams.add(stream);
    request.raw.on('close', stream.end);
  });

  app.get<{ Querystring: { teamId?: string; year?: string; instrumentId?: string } }>(
    '/api/insight/team',
    {
      preHandler: requireSession,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            teamId: { type: 'string', maxLength: 200 },
            year: { type: 'string', maxLength: 20 },
            instrumentId: { type: 'string', maxLength: 200 },
          },
        },
        response: { 200: anyObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { schoolId, person } = signedIn(request);
      // Team figures are for the school's leadership: a teacher sees their own development, not the team's.
      if (person.role !== 'leader') throw new ApiError(403, 'not-a-leader', 'Team figures are for school leaders.');
      const { teamId = '', year = '', instrumentId } = request.query;
      let figures: string;
      try {
        figures = await app.meekijken.teamFigures.figures(schoolId, {
          teamId,
          year,
          ...(instrumentId ? { instrumentId } : {}),
          now: app.meekijken.now(),
        });
      } catch (error) {
        if (error instanceof TeamFiguresBusy)
          return reply
            .status(503)
            .header('retry-after', '5')
            .send(errorBody('team-figures-busy', `${error.message} Try again shortly.`));
        if (!(error instanceof WorkerFailed || error instanceof WorkerStopped)) throw error;
        request.log.error({ err: error, schoolId }, 'team figures: the worker failed');
        throw new ApiError(500, 'team-figures-failed', 'The team figures could not be computed; try again.');
      }
      // Already JSON (computed and serialised in a worker thread): sent as it is.
      return reply.type('application/json; charset=utf-8').send(figures);
    },
  );

  app.get(
    '/api/insight/stalled',
    { preHandler: requireSession, schema: { response: { 200: anyObject, ...errorResponses } } },
    async (request) => {
      const { schoolId, person } = signedIn(request);
      // Like the team figures: for the school's leadership, and counts only (src/core/feedback/stalled.ts).
      if (person.role !== 'leader') throw new ApiError(403, 'not-a-leader', 'Stalled cycles are for school leaders.');
      return schoolStalledCycles(app.meekijken.database, schoolId, app.meekijken.now());
    },
  );

  app.post<{ Body: { tables: Record<string, unknown[]> } }>(
    '/api/school/records',
    {
      preHandler: requireAdministrator,
      schema: {
        body: {
          type: 'object',
          required: ['tables'],
          properties: {
            format: { type: 'string', const: 'meekijken-backup' },
            tables: {
              type: 'object',
              additionalProperties: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id'],
                  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
                },
              },
            },
          },
        },
        response: { 200: importResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { schoolId } = signedIn(request);
      const records = recordsOfBackup(request.body.tables);
      const { database, now } = app.meekijken;
      let result;
      try {
        result = await database.transaction((tx) => importRecords(tx, schoolId, records, { database, now: now() }));
      } catch (error) {
        if (!(error instanceof UploadRefused)) throw error;
        request.log.warn(
          { schoolId, kind: error.kind, recordId: error.id, reason: error.reason, field: error.field },
          'school records upload refused',
        );
        throw new ApiError(400, 'upload-refused', `Nothing was added: ${uploadProblem(error)}`);
      }
      request.log.info({ schoolId, ...result }, 'school records uploaded');
      if (result.added > 0) await app.meekijken.feed.publish(schoolId);
      return result;
    },
  );

  app.post(
    '/api/school/demo',
    { preHandler: requireAdministrator, schema: { response: { 200: importResponseSchema, ...errorResponses } } },
    async (request) => {
      const { schoolId } = signedIn(request);
      const now = app.meekijken.now();
      const records = demoRecords(generateDemo(now), now);
      const result = await app.meekijken.database.transaction(async (tx) => {
        const [counted] = await tx.query<{ observations: number }>(
          "SELECT count(*)::int8 AS observations FROM records WHERE school_id = $1 AND kind = 'observation'",
          [schoolId],
        );
        if ((counted?.observations ?? 0) > 0)
          throw new ApiError(409, 'school-not-empty', 'The demo school loads only into a school without observations.');
        return importRecords(tx, schoolId, records);
      });
      request.log.info({ schoolId, ...result }, 'demo school loaded');
      await app.meekijken.feed.publish(schoolId);
      return result;
    },
  );
}

/**
 * A device outside the support window (src/core/sync/sync-versions.ts) is refused before anything is read or
 * written, with a code the app acts on: `app-too-old` (update the app to sync again; its changes stay in its
 * outbox) or `server-too-old` (the device is newer than this server: update the server).
 */
function refuseOutsideWindow(version: number): void {
  const window = `${OLDEST_SCHEMA_VERSION}–${CURRENT_SCHEMA_VERSION}`;
  switch (versionStanding(version)) {
    case 'too-old':
      throw new ApiError(
        409,
        'app-too-old',
        `This app writes records of schema version ${version}; this server accepts ${window}. Update the app to sync again.`,
      );
    case 'too-new':
      throw new ApiError(
        409,
        'server-too-old',
        `This app writes records of schema version ${version}; this server knows ${window}. Update the school server first.`,
      );
    case 'supported':
      return;
  }
}

function recordsOfBackup(tables: Record<string, unknown[]>): RecordsByKind {
  const records: Record<string, unknown[]> = {};
  for (const [table, list] of Object.entries(tables)) {
    const kind = kindOfTable(table);
    if (!kind)
      throw new ApiError(
        400,
        'unknown-table',
        `The upload has a table "${table.slice(0, 40)}" Meekijken does not know.`,
      );
    records[kind] = list;
  }
  return records as RecordsByKind;
}

/** "the note 4f…: its text holds a character no keyboard types (field text)": which record, and why, for the leader. */
function uploadProblem(error: UploadRefused): string {
  const why: Record<string, string> = {
    'synced-observation': 'it would add to an observation the server already has from sync',
    'wrong-id': 'its id is not the one its fields give',
    'moved-record': 'it belongs elsewhere than it says',
    'invalid-instrument': 'its instrument is not a valid instrument',
    'invalid-value': 'a value is not one its instrument or kind allows',
    'invalid-text': 'a text holds a character no keyboard types, or a name is empty',
    'too-large': 'it is longer or deeper than the server keeps',
    'implausible-date': 'a date or time is impossible',
    'unknown-reference': 'it names a person, team, instrument or request the school does not have',
    'too-many': 'its observation would hold more notes or amendments than the server keeps',
  };
  return `the ${error.kind} ${error.id}: ${why[error.reason] ?? error.reason}${error.field ? ` (field ${error.field})` : ''}.`;
}
