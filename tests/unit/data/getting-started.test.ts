import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import { createSchool } from '../../../src/data/records/school';
import { addPerson } from '../../../src/data/records/people';
import { hideGettingStarted, loadStartProgress, tickStartStep } from '../../../src/data/records/getting-started';
import { saveDeviceSetting } from '../../../src/data/writes/local';

useFreshDatabase();

describe('the guided start', () => {
  it('sees the team in the records, keeps what the leader ticks, and can be put away', async () => {
    await createSchool('OBS De Linde');
    const leader = await addPerson({ name: 'Lotte Mol', role: 'leader', starter: false }, 'system');
    expect(await loadStartProgress()).toEqual({ done: [], ticked: [], hidden: false, colleagues: 0 });

    await addPerson({ name: 'René Jansen', role: 'teacher', starter: false }, leader);
    expect((await loadStartProgress()).done).toEqual(['team']);

    await tickStartStep('codes', true);
    await tickStartStep('instrument', true);
    await tickStartStep('instrument', true);
    expect(await loadStartProgress()).toMatchObject({
      done: ['team', 'instrument', 'codes'],
      ticked: ['codes', 'instrument'],
    });
    await tickStartStep('codes', false);
    expect((await loadStartProgress()).done).toEqual(['team', 'instrument']);

    await hideGettingStarted(true);
    expect((await loadStartProgress()).hidden).toBe(true);
  });

  it('reads a damaged setting as nothing ticked', async () => {
    await saveDeviceSetting({ key: 'gettingStarted', value: '{"ticked": ["team", "hack"], "hidden": "yes"' });
    expect(await loadStartProgress()).toMatchObject({ ticked: [], hidden: false });
    await saveDeviceSetting({ key: 'gettingStarted', value: '{"ticked": ["plan", "hack"], "hidden": "yes"}' });
    expect(await loadStartProgress()).toMatchObject({ ticked: ['plan'], hidden: false, done: ['plan'] });
  });
});
