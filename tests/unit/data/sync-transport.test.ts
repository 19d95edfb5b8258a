/**
 * The HTTP transport (src/data/sync/sync-transport.ts) against a fake `fetch`: the requests the school server must
 * answer (paths, methods, bodies, the cookie sent along), and how answers become results or errors: no answer is
 * offline, an error status keeps the server's code, an answer that is not the protocol is refused before anything
 * is stored. Also the sign-in code as people type it.
 */
import { describe, expect, it } from 'vitest';
import { httpTransport, SyncHttpError, SyncOffline } from '../../../src/data/sync/sync-transport';
import { formatSignInCode, normalizeSignInCode } from '../../../src/core/sync/sign-in-code';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const transport = httpTransport('', async (url, init) => {
    const call = { url, init };
    calls.push(call);
    return answer(call);
  });
  return { calls, transport };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const session = {
  person: { id: 'anna', name: 'Anna', role: 'teacher' },
  school: { id: 's1', name: 'De Linde' },
  sessionId: 'x1',
};

describe('the HTTP transport', () => {
  it('calls the server’s routes with the session cookie', async () => {
    const { calls, transport } = fakeFetch(({ url }) => {
      if (url.startsWith('/api/sync/pull')) return json(200, { records: [], gone: [], cursor: '12', more: false });
      if (url === '/api/sync/push') return json(200, { results: [{ id: 'c1', outcome: 'applied' }] });
      if (url === '/api/sign-out') return new Response(null, { status: 204 });
      return json(200, session);
    });
    expect(await transport.signIn('ABCDEFGH', 'Tablet')).toEqual(session);
    expect(await transport.me()).toEqual(session);
    expect(await transport.pull('0', 5)).toEqual({ records: [], gone: [], cursor: '12', more: false });
    const change = {
      id: 'c1',
      kind: 'note' as const,
      recordId: 'n1',
      op: 'insert' as const,
      fields: { text: 'x' },
      at: 1,
      actor: 'anna',
    };
    expect(await transport.push({ changes: [change], schemaVersion: 5 })).toEqual({
      results: [{ id: 'c1', outcome: 'applied' }],
    });
    await transport.signOut();
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'POST /api/sign-in',
      'GET /api/me',
      'GET /api/sync/pull?since=0&schemaVersion=5',
      'POST /api/sync/push',
      'POST /api/sign-out',
    ]);
    expect(calls.every((c) => c.init.credentials === 'same-origin')).toBe(true);
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ code: 'ABCDEFGH', deviceLabel: 'Tablet' });
    expect(JSON.parse(String(calls[3]!.init.body))).toEqual({ changes: [change], schemaVersion: 5 });
  });

  it('treats no answer as offline, and keeps the server’s status and error code', async () => {
    const offline = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(offline.transport.me()).rejects.toBeInstanceOf(SyncOffline);
    const refused = fakeFetch(() => json(401, { error: { code: 'code-used', message: 'This code was used' } }));
    await expect(refused.transport.signIn('ABCDEFGH', 'Tablet')).rejects.toMatchObject({
      status: 401,
      code: 'code-used',
      message: 'This code was used',
    });
    const limited = fakeFetch(() => new Response('Too many', { status: 429 }));
    await expect(limited.transport.signIn('ABCDEFGH', 'Tablet')).rejects.toMatchObject({ status: 429 });
    const down = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(down.transport.pull('3', 5)).rejects.toMatchObject({ name: 'SyncHttpError', status: 502 });
    const tooOld = fakeFetch(() => json(409, { error: { code: 'app-too-old', message: 'Update the app' } }));
    await expect(tooOld.transport.pull('3', 3)).rejects.toMatchObject({ status: 409, code: 'app-too-old' });
    await expect(tooOld.transport.push({ changes: [], schemaVersion: 3 })).rejects.toMatchObject({
      status: 409,
      code: 'app-too-old',
    });
  });

  it('refuses an answer that is not the protocol before anything is stored', async () => {
    const page = (body: unknown) => fakeFetch(() => json(200, body)).transport;
    await expect(page('<html>').pull('0', 5)).rejects.toBeInstanceOf(SyncHttpError);
    await expect(
      page({ records: [{ kind: 'planet', id: 'x', version: 1, data: {} }], gone: [], cursor: '1', more: false }).pull(
        '0',
        5,
      ),
    ).rejects.toMatchObject({ code: 'bad-response' });
    await expect(page({ records: [], gone: [], cursor: 1, more: false }).pull('0', 5)).rejects.toMatchObject({
      code: 'bad-response',
    });
    await expect(page({ results: [{ id: 'c1', outcome: 'maybe' }] }).push({ changes: [] })).rejects.toMatchObject({
      code: 'bad-response',
    });
    await expect(
      page({ person: { id: 'anna' }, school: { id: 's1', name: 'x' }, sessionId: 'x' }).me(),
    ).rejects.toMatchObject({ code: 'bad-response' });
    const refusedWithRecord = {
      results: [
        {
          id: 'c1',
          outcome: 'refused',
          reason: 'handed-over',
          record: { kind: 'note', id: 'n1', version: 4, data: { id: 'n1', text: 'x' } },
        },
      ],
    };
    expect(await page(refusedWithRecord).push({ changes: [] })).toEqual(refusedWithRecord);
    // What the protocol does not name is dropped, never stored; a record of null is none.
    expect(
      await page({
        results: [{ id: 'c1', outcome: 'refused', reason: 'not-owner', record: null, extra: 1 }],
      }).push({ changes: [] }),
    ).toEqual({ results: [{ id: 'c1', outcome: 'refused', reason: 'not-owner' }] });
    const record = { kind: 'note', id: 'n1', version: 4, data: { id: 'n1' } };
    expect(
      await page({ records: [{ ...record, secret: 'x' }], gone: [], cursor: '4', more: false, x: 1 }).pull('0', 5),
    ).toEqual({ records: [record], gone: [], cursor: '4', more: false });
    const malformed = [
      { results: [{ id: 'c1', outcome: 'refused', record: { ...record, version: '4' } }] },
      { results: [{ id: 'c1', outcome: 'applied', reason: 7 }] },
      { results: 'all applied' },
    ];
    for (const body of malformed)
      await expect(page(body).push({ changes: [] })).rejects.toMatchObject({ status: 200, code: 'bad-response' });
    const malformedPages = [
      { records: [{ ...record, data: [] }], gone: [], cursor: '4', more: false },
      { records: [{ ...record, version: 1.5 }], gone: [], cursor: '4', more: false },
      { records: [], gone: [{ kind: 'planet', id: 'x' }], cursor: '4', more: false },
      { records: [], gone: [], cursor: '4', more: 'yes' },
    ];
    for (const body of malformedPages)
      await expect(page(body).pull('0', 5)).rejects.toMatchObject({
        code: 'bad-response',
        message: expect.stringMatching(/^The school server's answer is not valid: (record|gone record|pull page)$/),
      });
  });

  it('checks answers without evaluating code (the app’s Content-Security-Policy forbids eval)', async () => {
    const page = { records: [{ kind: 'note', id: 'n1', version: 4, data: {} }], gone: [], cursor: '4', more: false };
    const { transport } = fakeFetch(() => json(200, page));
    const original = globalThis.Function;
    let evaluated = 0;
    // What `new Function(…)` under a CSP without 'unsafe-eval' does: it throws.
    globalThis.Function = new Proxy(original, {
      construct() {
        evaluated += 1;
        throw new EvalError('Refused to evaluate a string as JavaScript (Content-Security-Policy)');
      },
    });
    try {
      expect(await transport.pull('0', 5)).toEqual(page);
      await expect(
        fakeFetch(() => json(200, { ...page, records: [{ kind: 'planet' }] })).transport.pull('0', 5),
      ).rejects.toMatchObject({ code: 'bad-response' });
    } finally {
      globalThis.Function = original;
    }
    expect(evaluated).toBe(0);
  });
});

describe('the sign-in code', () => {
  it('is the same code in lower case, with spaces or without the dash', () => {
    for (const typed of ['ABCD-EFGH', 'abcd-efgh', 'abcd efgh', ' ABCDEFGH ', 'ab cd–ef gh'])
      expect(normalizeSignInCode(typed)).toBe('ABCDEFGH');
    for (const wrong of ['ABCD-EFG', 'ABCD-EFGHI', 'ABCD_EFGH', '']) expect(normalizeSignInCode(wrong)).toBeUndefined();
    expect(formatSignInCode('abcdefgh')).toBe('ABCD-EFGH');
    expect(formatSignInCode('ab c')).toBe('ABC');
    expect(formatSignInCode('abcd-efgh-ij')).toBe('ABCD-EFGH');
  });
});
