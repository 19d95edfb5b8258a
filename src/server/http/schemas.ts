/**
 * JSON Schemas shared by the routes. Fastify validates every request against its route's schema (unknown fields
 * and wrong types are refused: src/server/app.ts turns off Ajv's coercion and stripping) and serialises every
 * response through its schema, so a field not listed here never leaves the server by accident.
 */
import { ROLES } from '../../core/model/records';

/** A name a person typed: something besides spaces, not a novel. */
export const nameSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const;

/** How a device calls itself in the list of signed-in devices ("iPad van groep 5"); may be empty. */
export const deviceLabelSchema = { type: 'string', maxLength: 100 } as const;

export const uuidSchema = { type: 'string', format: 'uuid' } as const;

/** A person record as the devices hold it (src/core/model/records.ts `Person`). */
export const personSchema = {
  type: 'object',
  required: ['id', 'owner', 'createdAt', 'updatedAt', 'name', 'role', 'starter'],
  properties: {
    id: { type: 'string' },
    owner: { type: ['string', 'null'] },
    createdAt: { type: 'number' },
    updatedAt: { type: 'number' },
    deletedAt: { type: 'number' },
    name: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    teamId: { type: 'string' },
    starter: { type: 'boolean' },
    coachId: { type: 'string' },
    focusQuestion: { type: 'string' },
    archivedAt: { type: 'number' },
  },
} as const;

const schoolSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const;

/** Who is signed in on this device: the answer of set-up, sign-in and `GET /api/me`. */
export const signedInSchema = {
  type: 'object',
  required: ['person', 'school', 'sessionId'],
  properties: { person: personSchema, school: schoolSchema, sessionId: { type: 'string' } },
} as const;

export const noContent = { type: 'null' } as const;
