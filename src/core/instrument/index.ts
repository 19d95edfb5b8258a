export * from './types';
export { localize, allItems, flattenItems, repeatKey } from './localize';
export type { InstrumentProblem, ProblemCode } from './problems';
export { compareVersions, newestVersions } from './versions';
