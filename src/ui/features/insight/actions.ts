/**
 * What a school leader does on the team page: setting after how many days a waiting step of a feedback cycle is late.
 * Through the page's writes, so a failed write is shown and retried as one.
 */
import { setDueAfterDays } from '../../../data/records/school';
import { pageWrites } from '../../../data/records/page-writes';
import type { Actor } from '../../../core/model/lifecycle';
import {
  hideGettingStarted as hide,
  tickStartStep as tick,
  type StartStep,
} from '../../../data/records/getting-started';

export const setLateAfterDays = (days: number | undefined, actor: Actor) =>
  pageWrites.run('school:due-days', () => setDueAfterDays(days, actor));

/** The guided start: a step the leader says is done (or not), and putting the list away (this device's own). */
export const tickStartStep = (step: StartStep, done: boolean) =>
  pageWrites.run(`start:${step}`, () => tick(step, done));
export const hideGettingStarted = (hidden: boolean) => pageWrites.run('start:hidden', () => hide(hidden));
