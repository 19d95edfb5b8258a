/** First run: a school of one's own, or the demo school. */
import { createSchool } from '../../../data/school';
import { installShippedInstruments } from '../../../data/instruments';
import { saveStatus } from '../../shared/save-status.svelte';

export const createNewSchool = (name: string) =>
  saveStatus.run('school', async () => {
    await installShippedInstruments();
    await createSchool(name);
  });

/** The generator is only needed for this one tap: it loads on demand instead of with the app. */
export const loadDemo = () => saveStatus.run('demo', async () => (await import('../../../data/demo')).loadDemoSchool());
