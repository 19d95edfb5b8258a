/**
 * Authentication for routes: `preHandler: requireSession` (any signed-in person) or `requireAdministrator` (a school
 * leader, src/core/model/lifecycle.ts `isAdministrator`). Both set `request.session` to `{ sessionId, schoolId,
 * person }`; a route scopes every query by `request.session.schoolId`.
 */
import type { FastifyRequest } from 'fastify';
import { isAdministrator } from '../../core/model/lifecycle';
import { authenticate, type SessionContext } from '../accounts/sessions';
import { ApiError } from './errors';
import { sessionToken } from './session-cookie';
import './context';

export async function requireSession(request: FastifyRequest): Promise<void> {
  if (request.session) return;
  const token = sessionToken(request);
  const { database, now } = request.server.meekijken;
  const session = token ? await authenticate(database, now(), token) : undefined;
  if (!session)
    throw new ApiError(
      401,
      'not-signed-in',
      'Sign in first: this request has no valid session (it may have been signed out or revoked).',
    );
  request.session = session;
}

export async function requireAdministrator(request: FastifyRequest): Promise<void> {
  await requireSession(request);
  if (!isAdministrator(signedIn(request).person))
    throw new ApiError(403, 'not-administrator', 'Only an administrator (a school leader) may do this.');
}

/** The session of a request that passed `requireSession`. */
export function signedIn(request: FastifyRequest): SessionContext {
  if (!request.session) throw new Error('signedIn() on a route without requireSession');
  return request.session;
}
