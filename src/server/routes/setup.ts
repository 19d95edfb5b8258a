/** `POST /api/setup`: the set-up link's page names the school and its first administrator, once. */
import type { FastifyInstance } from 'fastify';
import { completeSetup } from '../accounts/setup';
import { isValidName } from '../../core/sync/content';
import { ApiError, errorResponses } from '../http/errors';
import { deviceLabelSchema, nameSchema, signedInSchema, uuidSchema } from '../http/schemas';
import { setSessionCookie } from '../http/session-cookie';

interface SetupBody {
  token: string;
  schoolName: string;
  adminName: string;
  deviceLabel?: string;
  /** The administrator's id on the tablet's device-only school, kept (see `SetupInput.personId`). */
  personId?: string;
}

export function setupRoutes(app: FastifyInstance): void {
  app.post<{ Body: SetupBody }>(
    '/api/setup',
    {
      schema: {
        body: {
          type: 'object',
          required: ['token', 'schoolName', 'adminName'],
          additionalProperties: false,
          properties: {
            token: { type: 'string', minLength: 1, maxLength: 200 },
            schoolName: nameSchema,
            adminName: nameSchema,
            deviceLabel: deviceLabelSchema,
            personId: uuidSchema,
          },
        },
        response: { 201: signedInSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { database, now } = app.meekijken;
      const { token, schoolName, adminName, deviceLabel = '', personId } = request.body;
      for (const [field, name] of [
        ['schoolName', schoolName],
        ['adminName', adminName],
      ] as const) {
        if (!isValidName(name.trim()))
          throw new ApiError(400, 'invalid-text', `${field} needs a visible character and no control characters.`);
      }
      const signedIn = await completeSetup(database, now(), {
        token,
        schoolName,
        adminName,
        deviceLabel,
        ...(personId ? { personId } : {}),
      });
      if (!signedIn) {
        throw new ApiError(
          403,
          'invalid-setup-token',
          'This set-up link is not valid, has expired (a link works for a week) or was used already. Ask for a new one (`npm run server:setup-link` on the server).',
        );
      }
      request.log.info({ schoolId: signedIn.school.id }, 'school set up');
      setSessionCookie(request, reply, signedIn.token, signedIn.person.id);
      return reply
        .status(201)
        .send({ person: signedIn.person, school: signedIn.school, sessionId: signedIn.sessionId });
    },
  );
}
