/** `GET /api/health`: for a proxy, a monitor or a person: is the server up, and does its database answer? */
import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponses } from '../http/errors';

export function healthRoutes(app: FastifyInstance, version: string): void {
  app.get(
    '/api/health',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['ok', 'database', 'version'],
            properties: { ok: { type: 'boolean' }, database: { type: 'string', enum: ['pglite', 'postgres'] }, version: { type: 'string' } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { database } = app.meekijken;
      try {
        await database.query('SELECT 1');
      } catch (error) {
        request.log.error({ err: error }, 'health check: the database does not answer');
        throw new ApiError(503, 'database-unavailable', 'The server runs, but its database does not answer.');
      }
      return { ok: true, database: database.kind, version };
    },
  );
}
