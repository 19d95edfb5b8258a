/**
 * The links in e-mail, used without signing in: confirming an address (`/api/mail/confirm`, the link sent to an
 * address a person chose; src/server/mail/confirm.ts), and stopping e-mail (RFC 8058). For both, `GET` shows a page
 * that asks first and only `POST` acts, because mail scanners open links in e-mail on their own.
 *
 * Stopping e-mail from a message: every e-mail carries
 * `List-Unsubscribe: <…/api/mail/unsubscribe?s=…&p=…&t=…>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
 *
 * - `POST` (what a mail program sends for its own "unsubscribe" button, and what the page below sends): stops all
 *   e-mail to that person. The address is kept with nothing chosen, so they can turn it on again in the app; what was
 *   queued for them and not sent goes. The token in the link is the proof; any body is ignored.
 * - `GET` (a person who follows the link): a page that asks first. A GET never stops anything: mail scanners open
 *   links in e-mail on their own.
 *
 * Both answer the same page for a link that is not (or no longer) valid, and say nothing about whose it is.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isUnsubscribeToken } from '../mail/unsubscribe';
import { confirmAddress } from '../mail/confirm';
import { stopMailOf } from '../mail/queue';
import { escapeHtml } from '../http/html';

interface Query {
  s: string;
  p: string;
  t: string;
}

const querySchema = {
  type: 'object',
  required: ['s', 'p', 't'],
  additionalProperties: false,
  properties: {
    s: { type: 'string', minLength: 1, maxLength: 100 },
    p: { type: 'string', minLength: 1, maxLength: 100 },
    t: { type: 'string', minLength: 1, maxLength: 100 },
  },
} as const;

/**
 * Every link route: its query checked, and at most 30 uses a minute from one address (people clicking, not a script
 * guessing tokens).
 */
const LINK_ROUTE = {
  config: { rateLimit: { max: 30, timeWindow: 60_000 } },
  schema: { querystring: querySchema },
} as const;

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`,
    );
}

/** The page a link opens: it asks first, and its button posts the same link. */
function askFirst(reply: FastifyReply, path: string, { s, p, t }: Query, title: string, text: string, button: string) {
  const action = `${path}?${new URLSearchParams({ s, p, t })}`;
  return page(
    reply,
    200,
    title,
    `${text}<form method="post" action="${escapeHtml(action)}"><button type="submit">${button}</button></form>`,
  );
}

const invalid = (reply: FastifyReply) =>
  page(
    reply,
    404,
    'Link werkt niet · Link does not work',
    '<h1>Deze link werkt niet</h1><p>Kies in Meekijken bij je account welke e-mail je krijgt.</p><p lang="en">This link does not work. Choose which e-mail you get in Meekijken, on your account.</p>',
  );

export function mailLinkRoutes(app: FastifyInstance): void {
  const isValidLink = ({ s, p, t }: Query) => isUnsubscribeToken(app.meekijken.database, s, p, t, app.meekijken.now());
  app.register(async (scope) => {
    // A one-click POST comes as a form (or any other body); the token in the URL is all that counts.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null));

    scope.get<{ Querystring: Query }>('/api/mail/unsubscribe', LINK_ROUTE, async (request, reply) => {
      if (!(await isValidLink(request.query))) return invalid(reply);
      return askFirst(
        reply,
        '/api/mail/unsubscribe',
        request.query,
        'E-mail stoppen · Stop e-mail',
        '<h1>E-mail van Meekijken stoppen?</h1><p>Je krijgt dan geen e-mail meer van Meekijken. In de app kun je het later weer aanzetten.</p><p lang="en">Stop e-mail from Meekijken? You can turn it on again later in the app.</p>',
        'E-mail stoppen · Stop e-mail',
      );
    });

    scope.post<{ Querystring: Query }>('/api/mail/unsubscribe', LINK_ROUTE, async (request, reply) => {
      const { database, now } = app.meekijken;
      const { s, p } = request.query;
      if (!(await isValidLink(request.query))) return invalid(reply);
      await database.transaction((tx) => stopMailOf(tx, s, p, now()));
      request.log.info('mail: a person stopped their e-mail through an unsubscribe link');
      return page(
        reply,
        200,
        'E-mail gestopt · E-mail stopped',
        '<h1>Je krijgt geen e-mail meer van Meekijken</h1><p>Wil je toch weer iets ontvangen? Kies het in de app bij je account.</p><p lang="en">You will get no more e-mail from Meekijken. To receive some again, choose it in the app, on your account.</p>',
      );
    });

    scope.get<{ Querystring: Query }>('/api/mail/confirm', LINK_ROUTE, async (request, reply) =>
      askFirst(
        reply,
        '/api/mail/confirm',
        request.query,
        'E-mailadres bevestigen · Confirm e-mail address',
        '<h1>Dit e-mailadres bevestigen?</h1><p>Dan krijg je op dit adres de e-mail van Meekijken die je koos.</p><p lang="en">Confirm this e-mail address? You will then get the e-mail from Meekijken you chose here.</p>',
        'Bevestigen · Confirm',
      ),
    );

    scope.post<{ Querystring: Query }>('/api/mail/confirm', LINK_ROUTE, async (request, reply) => {
      const { database, now } = app.meekijken;
      const { s, p, t } = request.query;
      if (!(await confirmAddress(database, s, p, t, now())))
        return page(
          reply,
          404,
          'Link werkt niet · Link does not work',
          '<h1>Deze link werkt niet (meer)</h1><p>Een bevestigingslink werkt 7 dagen, en alleen de laatste. Vraag in Meekijken bij je account een nieuwe aan.</p><p lang="en">This link does not work (any more). A confirmation link works for 7 days, and only the latest. Ask for a new one in Meekijken, on your account.</p>',
        );
      request.log.info('mail: an address was confirmed');
      return page(
        reply,
        200,
        'Bevestigd · Confirmed',
        '<h1>Je e-mailadres is bevestigd</h1><p>Vanaf nu krijg je hier de e-mail van Meekijken die je koos.</p><p lang="en">Your e-mail address is confirmed. From now on you get the e-mail from Meekijken you chose here.</p>',
      );
    });
  });
}
