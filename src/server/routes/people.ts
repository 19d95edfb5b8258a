/**
 * An administrator's account work: adding a person (`POST /api/people`) and giving someone a sign-in code
 * (`POST /api/people/:personId/sign-in-codes`). Only within the administrator's own school: a person of another
 * school is "not found", so ids are not confirmed across schools.
 */
import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from '../../core/model/records';
import { addPerson, findActivePerson, newPerson } from '../accounts/people';
import { contentProblem } from '../../core/sync/content';
import { serverLookups } from '../sync/lookups';
import { issueSignInCode } from '../accounts/sign-in-codes';
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
}
