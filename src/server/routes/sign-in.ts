/** `POST /api/sign-in`: a person types the code an administrator gave them; the device gets a session. */
import type { FastifyInstance } from 'fastify';
import { redeemSignInCode } from '../accounts/sign-in-codes';
import { ApiError, errorResponses } from '../http/errors';
import type { FailureLimit } from '../http/failure-limit';
import { deviceLabelSchema, signedInSchema } from '../http/schemas';
import { setSessionCookie } from '../http/session-cookie';

interface SignInBody {
  code: string;
  deviceLabel?: string;
}

/** The limits count in the database (src/server/http/rate-limits.ts): every server process on it shares them. */
export interface SignInLimits {
  /** Sign-in requests per minute from one address (right or wrong). */
  perAddressPerMinute: number;
  /** Wrong codes per minute from all addresses together. */
  failures: FailureLimit;
}

export function signInRoutes(app: FastifyInstance, limits: SignInLimits): void {
  app.post<{ Body: SignInBody }>(
    '/api/sign-in',
    {
      config: { rateLimit: { max: limits.perAddressPerMinute, timeWindow: 60_000 } },
      schema: {
        body: {
          type: 'object',
          required: ['code'],
          additionalProperties: false,
          // Generous: people type spaces and dashes; normalising decides what counts.
          properties: { code: { type: 'string', minLength: 1, maxLength: 40 }, deviceLabel: deviceLabelSchema },
        },
        response: { 200: signedInSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (await limits.failures.exhausted()) {
        request.log.warn('sign-in refused: too many wrong codes on this server this minute');
        throw new ApiError(
          429,
          'too-many-attempts',
          'Too many wrong sign-in codes were tried on this server; wait a minute and try again.',
        );
      }
      const { database, now } = app.meekijken;
      const signedIn = await redeemSignInCode(database, now(), {
        code: request.body.code,
        deviceLabel: request.body.deviceLabel ?? '',
      });
      if (!signedIn) {
        await limits.failures.record();
        throw new ApiError(
          401,
          'invalid-code',
          'This sign-in code is wrong, used or expired. Check it, or ask an administrator for a new one.',
        );
      }
      request.log.info({ schoolId: signedIn.school.id, sessionId: signedIn.sessionId }, 'signed in');
      setSessionCookie(request, reply, signedIn.token, signedIn.person.id);
      return { person: signedIn.person, school: signedIn.school, sessionId: signedIn.sessionId };
    },
  );
}
