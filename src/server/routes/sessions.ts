/**
 * Who am I (`GET /api/me`), my signed-in devices (`GET /api/sessions`, an administrator also anyone's in the school),
 * signing a device out (`DELETE /api/sessions/:id`) and signing out here (`POST /api/sign-out`).
 */
import type { FastifyInstance } from 'fastify';
import { isAdministrator } from '../../core/model/lifecycle';
import { findActivePerson } from '../accounts/people';
import { findSchool } from '../accounts/schools';
import { listSessions, revokeSession, sessionOwner } from '../accounts/sessions';
import { ApiError, errorResponses } from '../http/errors';
import { deviceLabelSchema, noContent, signedInSchema, uuidSchema } from '../http/schemas';
import { requireSession, signedIn } from '../http/session';
import { clearSessionCookie } from '../http/session-cookie';

const sessionSchema = {
  type: 'object',
  required: ['id', 'personId', 'deviceLabel', 'createdAt', 'lastSeenAt', 'current'],
  properties: {
    id: { type: 'string' },
    personId: { type: 'string' },
    deviceLabel: deviceLabelSchema,
    createdAt: { type: 'number' },
    lastSeenAt: { type: 'number' },
    /** The device asking. */
    current: { type: 'boolean' },
  },
} as const;

const notFound = () => new ApiError(404, 'session-not-found', 'There is no such signed-in device.');

export function sessionRoutes(app: FastifyInstance): void {
  app.get(
    '/api/me',
    { preHandler: requireSession, schema: { response: { 200: signedInSchema, ...errorResponses } } },
    async (request) => {
      const { schoolId, person, sessionId } = signedIn(request);
      const school = await findSchool(app.meekijken.database, schoolId);
      if (!school) throw new Error(`Session ${sessionId} belongs to school ${schoolId}, which does not exist`);
      return { person, school, sessionId };
    },
  );

  app.get<{ Querystring: { personId?: string } }>(
    '/api/sessions',
    {
      preHandler: requireSession,
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { personId: uuidSchema } },
        response: {
          200: {
            type: 'object',
            required: ['sessions'],
            properties: { sessions: { type: 'array', items: sessionSchema } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { database, now } = app.meekijken;
      const { schoolId, person, sessionId } = signedIn(request);
      const personId = request.query.personId ?? person.id;
      if (personId !== person.id) {
        if (!isAdministrator(person))
          throw new ApiError(403, 'not-administrator', "Only an administrator may see another person's devices.");
        if (!(await findActivePerson(database, schoolId, personId)))
          throw new ApiError(404, 'person-not-found', 'There is no such person in your school.');
      }
      const sessions = await listSessions(database, now(), schoolId, personId);
      return { sessions: sessions.map((session) => ({ ...session, current: session.id === sessionId })) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/sessions/:id',
    {
      preHandler: requireSession,
      schema: {
        params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: uuidSchema } },
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { database, now } = app.meekijken;
      const { schoolId, person, sessionId } = signedIn(request);
      const owner = await sessionOwner(database, schoolId, request.params.id);
      // Someone else's device is "not found" for a non-administrator too: ids are not confirmed.
      if (!owner || (owner !== person.id && !isAdministrator(person))) throw notFound();
      await revokeSession(database, now(), schoolId, request.params.id);
      app.meekijken.streams.endSession(request.params.id);
      request.log.info({ schoolId, sessionId: request.params.id, by: person.id }, 'session revoked');
      if (request.params.id === sessionId) clearSessionCookie(request, reply, person.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/sign-out',
    { preHandler: requireSession, schema: { response: { 204: noContent, ...errorResponses } } },
    async (request, reply) => {
      const { schoolId, sessionId, person } = signedIn(request);
      await revokeSession(app.meekijken.database, app.meekijken.now(), schoolId, sessionId);
      app.meekijken.streams.endSession(sessionId);
      request.log.info({ schoolId, sessionId }, 'signed out');
      clearSessionCookie(request, reply, person.id);
      return reply.status(204).send();
    },
  );
}
