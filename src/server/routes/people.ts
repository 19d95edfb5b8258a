/**
 * An administrator's account work: adding a person (`POST /api/people`), giving someone a sign-in code
 * (`POST /api/people/:personId/sign-in-codes`), codes for a group of colleagues at once, valid as long as the
 * administrator chooses up to a working day (`POST /api/sign-in-codes`), and revoking unused codes
 * (`POST /api/sign-in-codes/revoke`). Only within the administrator's own school: a person of another school is "not
 * found", so ids are not confirmed across schools.
 */
import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from '../../core/model/records';
import { addPerson, findActivePerson, newPerson } from '../accounts/people';
import { contentProblem } from '../../core/sync/content';
import { serverLookups } from '../sync/lookups';
import { issueSignInCode, issueSignInCodes, revokeSignInCodes } from '../accounts/sign-in-codes';
import { SIGN_IN_CODE_MINUTES, SIGN_IN_CODES_AT_ONCE } from '../../core/sync/sign-in-code';
import type { Sql } from '../db/database';
import { ApiError, errorResponses } from '../http/errors';
import { nameSchema, personSchema, uuidSchema } from '../http/schemas';
import { requireAdministrator, signedIn } from '../http/session';

interface PersonBody {
  name: string;
  role: Role;
  teamId?: string;
  starter: boolean;
  coachId?: string;
}

export function peopleRoutes(app: FastifyInstance): void {
  app.post<{ Body: PersonBody }>(
    '/api/people',
    {
      preHandler: requireAdministrator,
      schema: {
        body: {
          type: 'object',
          required: ['name', 'role', 'starter'],
          additionalProperties: false,
          properties: {
            name: nameSchema,
            role: { type: 'string', enum: ROLES },
            teamId: uuidSchema,
            starter: { type: 'boolean' },
            coachId: uuidSchema,
          },
        },
        response: { 201: personSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { database, now } = app.meekijken;
      const { schoolId, person: administrator } = signedIn(request);
      const person = newPerson(request.body, administrator.id, now());
      await database.transaction(async (tx) => {
        // The same check a pushed person record gets: a visible name, a team that exists, a coach who is one.
        const problem = await contentProblem('person', undefined, person, serverLookups(database, tx, schoolId, now()));
        if (problem)
          throw new ApiError(400, problem.reason, `The person cannot be added: ${problem.field} (${problem.reason}).`);
        await addPerson(tx, schoolId, person);
      });
      request.log.info({ schoolId, personId: person.id }, 'person added');
      return reply.status(201).send(person);
    },
  );

  app.post<{ Params: { personId: string } }>(
    '/api/people/:personId/sign-in-codes',
    {
      preHandler: requireAdministrator,
      schema: {
        params: {
          type: 'object',
          required: ['personId'],
          additionalProperties: false,
          properties: { personId: uuidSchema },
        },
        response: {
          201: {
            type: 'object',
            required: ['code', 'expiresAt'],
            properties: { code: { type: 'string' }, expiresAt: { type: 'number' } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { database, now } = app.meekijken;
      const { schoolId, person: administrator } = signedIn(request);
      const { personId } = request.params;
      if (!(await findActivePerson(database, schoolId, personId))) {
        throw new ApiError(404, 'person-not-found', 'There is no such person in your school (or they left it).');
      }
      const issued = await issueSignInCode(database, now(), { schoolId, personId, createdBy: administrator.id });
      // The code itself is never logged.
      request.log.info({ schoolId, personId }, 'sign-in code issued');
      return reply.status(201).send(issued);
    },
  );

  const personIdsSchema = {
    type: 'array',
    minItems: 1,
    maxItems: SIGN_IN_CODES_AT_ONCE,
    uniqueItems: true,
    items: uuidSchema,
  } as const;

  app.post<{ Body: { personIds: string[]; minutes: number } }>(
    '/api/sign-in-codes',
    {
      preHandler: requireAdministrator,
      schema: {
        body: {
          type: 'object',
          required: ['personIds', 'minutes'],
          additionalProperties: false,
          properties: { personIds: personIdsSchema, minutes: { type: 'integer', enum: [...SIGN_IN_CODE_MINUTES] } },
        },
        response: {
          201: {
            type: 'object',
            required: ['codes'],
            properties: {
              codes: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['personId', 'code', 'expiresAt'],
                  properties: { personId: { type: 'string' }, code: { type: 'string' }, expiresAt: { type: 'number' } },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { database, now } = app.meekijken;
      const { schoolId, person: administrator } = signedIn(request);
      const { personIds, minutes } = request.body;
      await requireActivePeople(database, schoolId, personIds);
      const codes = await issueSignInCodes(database, now(), {
        schoolId,
        personIds,
        createdBy: administrator.id,
        minutes,
      });
      // The codes themselves are never logged.
      request.log.info({ schoolId, people: personIds.length, minutes }, 'sign-in codes issued');
      return reply.status(201).send({ codes });
    },
  );

  app.post<{ Body: { personIds: string[] } }>(
    '/api/sign-in-codes/revoke',
    {
      preHandler: requireAdministrator,
      schema: {
        body: {
          type: 'object',
          required: ['personIds'],
          additionalProperties: false,
          properties: { personIds: personIdsSchema },
        },
        response: {
          200: { type: 'object', required: ['revoked'], properties: { revoked: { type: 'integer' } } },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { database } = app.meekijken;
      const { schoolId } = signedIn(request);
      const { personIds } = request.body;
      await requireActivePeople(database, schoolId, personIds);
      const revoked = await revokeSignInCodes(database, { schoolId, personIds });
      request.log.info({ schoolId, people: personIds.length, revoked }, 'sign-in codes revoked');
      return { revoked };
    },
  );
}

/** Every one of these people is an active person of the school; else 404, naming none (ids are not confirmed). */
async function requireActivePeople(database: Sql, schoolId: string, personIds: readonly string[]): Promise<void> {
  for (const personId of personIds)
    if (!(await findActivePerson(database, schoolId, personId)))
      throw new ApiError(404, 'person-not-found', 'Not everyone named is a person of your school (or they left it).');
}
