/**
 * A person's e-mail notices on the school server (src/data/sync/mail-settings.ts) with a fake `fetch`: the right
 * routes and bodies, the answer checked before the screen shows it, and the server's refusals as errors.
 */
import { describe, expect, it } from 'vitest';
import { getMailSettings, saveMailSettings, sendTestMail, stopMail } from '../../../src/data/sync/mail-settings';
import { SyncHttpError, SyncOffline, type Fetch } from '../../../src/data/sync/sync-transport';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function fakeFetch(answer: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; method: string | undefined; body: unknown }> = [];
  const fetch: Fetch = async (url, init) => {
    calls.push({ url, method: init.method, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) });
    return answer(url, init);
  };
  return { calls, fetch };
}

const ANSWER = {
  sending: false,
  offered: ['request', 'handedOver'],
  settings: { address: 'bram@school.nl', kinds: ['handedOver'] },
  suggestedAddress: 'bram@school.nl',
  confirmed: true,
};

describe('e-mail settings on the school server', () => {
  it('reads mine, or a colleague’s by id', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, ANSWER));
    expect(await getMailSettings(undefined, { fetch })).toEqual(ANSWER);
    await getMailSettings('4a1e0b2c-0000-4000-8000-000000000002', { fetch });
    expect(calls.map((call) => [call.method, call.url])).toEqual([
      ['GET', '/api/mail/settings'],
      ['GET', '/api/mail/settings?personId=4a1e0b2c-0000-4000-8000-000000000002'],
    ]);
  });

  it('refuses an answer that is not the protocol, and a kind it does not know', async () => {
    for (const body of [
      { offered: [] },
      { sending: true, offered: ['gossip'] },
      { sending: true, offered: [], settings: { address: 3, kinds: [] } },
      { sending: true, offered: [], confirmed: 'yes' },
    ]) {
      const { fetch } = fakeFetch(() => json(200, body));
      await expect(getMailSettings(undefined, { fetch })).rejects.toMatchObject({ code: 'bad-response' });
    }
  });

  it('saves my address trimmed with my kinds, and passes a refusal on with its code', async () => {
    const { calls, fetch } = fakeFetch((_url, init) =>
      JSON.parse(String(init.body)).address === 'fout'
        ? json(400, { error: { code: 'invalid-address', message: 'no' } })
        : json(200, ANSWER),
    );
    expect(await saveMailSettings({ address: ' bram@school.nl ', kinds: ['handedOver'] }, { fetch })).toEqual(ANSWER);
    expect(calls[0]).toEqual({
      url: '/api/mail/settings',
      method: 'PUT',
      body: { address: 'bram@school.nl', kinds: ['handedOver'] },
    });
    const refused = saveMailSettings({ address: 'fout', kinds: [] }, { fetch });
    await expect(refused).rejects.toBeInstanceOf(SyncHttpError);
    await expect(refused).rejects.toMatchObject({ status: 400, code: 'invalid-address' });
  });

  it('stops mine, or a colleague’s, and says when the server cannot be reached', async () => {
    const { calls, fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    await stopMail(undefined, { fetch });
    await stopMail('4a1e0b2c-0000-4000-8000-000000000002', { fetch });
    expect(calls.map((call) => [call.method, call.url])).toEqual([
      ['DELETE', '/api/mail/settings'],
      ['DELETE', '/api/mail/settings?personId=4a1e0b2c-0000-4000-8000-000000000002'],
    ]);
    const offline: Fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(stopMail(undefined, { fetch: offline })).rejects.toBeInstanceOf(SyncOffline);
  });

  it('sends a test e-mail and says what the mail server answered, refusing an answer that is not the protocol', async () => {
    const sent = fakeFetch(() => json(200, { sent: true }));
    expect(await sendTestMail({ fetch: sent.fetch })).toEqual({ sent: true });
    expect(sent.calls.map((call) => [call.method, call.url])).toEqual([['POST', '/api/mail/test']]);
    const refused = fakeFetch(() => json(200, { sent: false, why: 'smtp 550' }));
    expect(await sendTestMail({ fetch: refused.fetch })).toEqual({ sent: false, why: 'smtp 550' });
    const again = fakeFetch(() => json(200, { sent: true, confirmation: true }));
    expect(await sendTestMail({ fetch: again.fetch })).toEqual({ sent: true, confirmation: true });
    const off = fakeFetch(() => json(409, { error: { code: 'mail-off', message: 'no' } }));
    await expect(sendTestMail({ fetch: off.fetch })).rejects.toMatchObject({ status: 409, code: 'mail-off' });
    for (const body of [{}, { sent: 'yes' }, { sent: false, why: 550 }, { sent: true, confirmation: 1 }]) {
      const { fetch } = fakeFetch(() => json(200, body));
      await expect(sendTestMail({ fetch })).rejects.toMatchObject({ code: 'bad-response' });
    }
  });
});
