/**
 * Every error leaves the server as JSON `{ error: { code, message } }`: a stable code for the app to act on, and a
 * message in plain English for logs and developers (the app shows its own Dutch/English text per code). A 5xx never
 * carries a stack trace or an internal message; the log has them.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable';
import { ErrorBodyShape } from '../../core/sync/protocol-shapes';

/** An error a route throws on purpose: its status, its code, and a message safe to show. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** How long a device waits before it tries again while the database is away. */
const RETRY_AFTER_SECONDS = 5;

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

/** What Fastify itself raises before a handler runs, as our codes. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed-json',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'malformed-json',
    message: 'The request says it has a JSON body, but it is empty.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'body-too-large',
    message: 'The request body is larger than the server accepts (5 MB).',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad-request',
    message: 'The request body does not match its Content-Length.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported-media-type',
    message: 'Send the request body as application/json.',
  },
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) return reply.status(error.statusCode).send(errorBody(error.code, error.message));
    if ('validation' in error && error.validation) {
      return reply.status(400).send(errorBody('invalid-request', `Invalid request: ${error.message}.`));
    }
    const known = FASTIFY_ERRORS[error.code];
    if (known) return reply.status(known.status).send(errorBody(known.code, known.message ?? error.message));
    const status = error.statusCode ?? 500;
    if (status === 429)
      return reply.status(429).send(errorBody('too-many-requests', 'Too many requests; wait a minute and try again.'));
    if (status >= 400 && status < 500) return reply.status(status).send(errorBody('bad-request', error.message));
    if (isDatabaseUnavailable(error)) {
      // Nothing was lost: the device keeps what it sent and tries again.
      request.log.warn({ err: error }, 'request failed: the database is not answering');
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(
          errorBody('database-unavailable', 'The server runs, but its database does not answer; try again shortly.'),
        );
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send(errorBody('internal-error', 'Something went wrong on the server; the server log has the details.'));
  });
}

/** JSON Schema of the error body, for every route's 4xx and 5xx responses (the protocol's, src/core/sync/protocol-shapes.ts). */
const errorSchema = ErrorBodyShape;

export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;
