/**
 * The session cookie. Where the browser allows it, it is `__Host-meekijken` with `Secure; HttpOnly;
 * SameSite=Strict; Path=/`: the prefix makes the browser refuse it unless it is Secure, for this host only and for
 * every path, so no other site or subdomain can set or shadow it. Browsers accept Secure cookies over HTTPS and on
 * localhost. On plain HTTP to another host (a school LAN without TLS) a Secure cookie would never be sent back,
 * so the cookie is `meekijken` without Secure, and the server warns once that the school should add TLS.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SECURE_COOKIE = '__Host-meekijken';
export const PLAIN_COOKIE = 'meekijken';

/** Chromium's upper limit on a cookie's lifetime. The session itself lasts until it is revoked. */
const COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;

const LOOPBACK_HOST = /^(localhost|[^.]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Whether the browser that sent this request keeps a Secure cookie: HTTPS (as the trusted proxy says), or localhost. */
export function acceptsSecureCookie(request: FastifyRequest): boolean {
  return request.protocol === 'https' || LOOPBACK_HOST.test(request.hostname);
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  const secure = acceptsSecureCookie(request);
  if (!secure) warnPlainHttpOnce(request);
  reply.setCookie(secure ? SECURE_COOKIE : PLAIN_COOKIE, token, { path: '/', httpOnly: true, secure, sameSite: 'strict', maxAge: COOKIE_MAX_AGE_S });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const secure = acceptsSecureCookie(request);
  reply.clearCookie(secure ? SECURE_COOKIE : PLAIN_COOKIE, { path: '/', httpOnly: true, secure, sameSite: 'strict' });
}

/**
 * The session token of a request: `Authorization: Bearer …` (tests, scripts), else the cookie this connection uses.
 * Over HTTPS only `__Host-meekijken` counts: a plain `meekijken` cookie can be planted by anyone on the network
 * (over HTTP, for the same host), and would sign the victim into the planter's account.
 */
export function sessionToken(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1];
  return request.cookies[acceptsSecureCookie(request) ? SECURE_COOKIE : PLAIN_COOKIE] ?? undefined;
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
