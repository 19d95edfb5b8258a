/**
 * What a school leader does on the team page: setting after how many days a waiting step of a feedback cycle is late.
 * Through the page's writes, so a failed write is shown and retried as one.
 */
import { setDueAfterDays } from '../../../data/records/school';
import { pageWrites } from '../../../data/records/page-writes';
import type { Actor } from '../../../core/model/lifecycle';

export const setLateAfterDays = (days: number | undefined, actor: Actor) =>
  pageWrites.run('school:due-days', () => setDueAfterDays(days, actor));
