/** `GET /api/health`: for a proxy, a monitor or a person: is the server up, and does its database answer? */
import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponses } from '../http/errors';

const HEALTH_TIMEOUT_MS = 3_000;

export function healthRoutes(app: FastifyInstance, version: string): void {
  // A monitor asks every few seconds: an outage is logged once as an error, and its end once, not on every check.
  let failing = false;
  app.get(
    '/api/health',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['ok', 'database', 'version'],
            properties: {
              ok: { type: 'boolean' },
              database: { type: 'string', enum: ['pglite', 'postgres'] },
              version: { type: 'string' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { database } = app.meekijken;
      try {
        // A database that hangs is as away as one that refuses: a monitor needs an answer within seconds.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
        });
        await Promise.race([database.query('SELECT 1'), timeout]).finally(() => clearTimeout(timer));
      } catch (error) {
        if (!failing) request.log.error({ err: error }, 'health check: the database does not answer');
        else request.log.debug({ err: error }, 'health check: the database still does not answer');
        failing = true;
        throw new ApiError(503, 'database-unavailable', 'The server runs, but its database does not answer.');
      }
      if (failing) request.log.info('health check: the database answers again');
      failing = false;
      return { ok: true, database: database.kind, version };
    },
  );
}
