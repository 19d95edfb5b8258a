/**
 * The session cookie. Where the browser allows it, it is `__Host-meekijken` with `Secure; HttpOnly;
 * SameSite=Strict; Path=/`: the prefix makes the browser refuse it unless it is Secure, for this host only and for
 * every path, so no other site or subdomain can set or shadow it. Browsers accept Secure cookies over HTTPS and on
 * localhost. On plain HTTP to another host (a school LAN without TLS) a Secure cookie would never be sent back,
 * so the cookie is `meekijken` without Secure, and the server warns once that the school should add TLS.
 *
 * One cookie per person: `__Host-meekijken-<personId>`. A shared tablet keeps several colleagues signed in (each
 * with their own database), and switching between them must not sign the other out. The app names the account a
 * request is for in the `X-Meekijken-Account` header (or `?account=` for the event stream, which cannot send
 * headers); without it, the only session cookie there is counts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_MAX_MS } from '../accounts/sessions';

const SECURE_COOKIE = '__Host-meekijken';
const PLAIN_COOKIE = 'meekijken';

/** As long as a session can last (its absolute lifetime); the server ends it earlier when idle or revoked. */
const COOKIE_MAX_AGE_S = SESSION_MAX_MS / 1000;

const LOOPBACK_HOST = /^(localhost|[^.]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Whether the browser that sent this request keeps a Secure cookie: HTTPS (as the trusted proxy says), or localhost. */
function acceptsSecureCookie(request: FastifyRequest): boolean {
  return request.protocol === 'https' || LOOPBACK_HOST.test(request.hostname);
}

/** A person id as it may appear in a cookie name (ids are UUIDs). */
const ACCOUNT = /^[0-9A-Za-z-]{1,64}$/;

/** The cookie of one person's session on this connection. */
const sessionCookieName = (request: FastifyRequest, personId: string): string =>
  `${acceptsSecureCookie(request) ? SECURE_COOKIE : PLAIN_COOKIE}-${personId}`;

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, personId: string): void {
  const secure = acceptsSecureCookie(request);
  if (!secure) warnPlainHttpOnce(request);
  reply.setCookie(sessionCookieName(request, personId), token, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'strict',
    maxAge: COOKIE_MAX_AGE_S,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, personId: string): void {
  const secure = acceptsSecureCookie(request);
  reply.clearCookie(sessionCookieName(request, personId), { path: '/', httpOnly: true, secure, sameSite: 'strict' });
}

/** The account a request names (header, or `?account=` for the event stream), when it is a valid id. */
function namedAccount(request: FastifyRequest): string | undefined {
  const header = request.headers['x-meekijken-account'];
  const query = (request.query as Record<string, unknown> | undefined)?.account;
  const named = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
  return named && ACCOUNT.test(named) ? named : undefined;
}

/**
 * The session token of a request: `Authorization: Bearer …` (tests, scripts), else the cookie this connection uses.
 * Over HTTPS only `__Host-meekijken` counts: a plain `meekijken` cookie can be planted by anyone on the network
 * (over HTTP, for the same host), and would sign the victim into the planter's account.
 */
export function sessionToken(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1];
  const account = namedAccount(request);
  if (account) return request.cookies[sessionCookieName(request, account)] ?? undefined;
  const prefix = `${acceptsSecureCookie(request) ? SECURE_COOKIE : PLAIN_COOKIE}-`;
  const sessions = Object.entries(request.cookies).filter(
    ([name, value]) => name.startsWith(prefix) && ACCOUNT.test(name.slice(prefix.length)) && value,
  );
  return sessions.length === 1 ? sessions[0]![1] : undefined;
}

function warnPlainHttpOnce(request: FastifyRequest): void {
  const context = request.server.meekijken;
  if (context.warnedAboutPlainHttp) return;
  context.warnedAboutPlainHttp = true;
  request.log.warn(
    { host: request.hostname },
    'Sign-in over plain HTTP: the session cookie cannot be Secure, so anyone on this network can read it. Put the server behind a TLS reverse proxy (see README, "School server"), and set TRUST_PROXY=1.',
  );
}
