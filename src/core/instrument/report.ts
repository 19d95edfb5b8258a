/**
 * A file's problems as a person reads them: every kind of problem, but not a thousand lines of the same one. The
 * command-line validator and the app's check screen both show at most PROBLEMS_PER_CODE problems of each code,
 * followed by a line that counts the rest ("… and 990 more of the same kind").
 */
import type { InstrumentProblem, ProblemCode } from './problems';

const PROBLEMS_PER_CODE = 10;

export type ReportLine =
  { kind: 'problem'; problem: InstrumentProblem } | { kind: 'more'; code: ProblemCode; count: number };

/** The problems in their order; after the last one shown of a code comes the count of those left out. */
export function capProblems(problems: readonly InstrumentProblem[], perCode = PROBLEMS_PER_CODE): ReportLine[] {
  const totals = new Map<ProblemCode, number>();
  for (const p of problems) totals.set(p.code, (totals.get(p.code) ?? 0) + 1);
  const shown = new Map<ProblemCode, number>();
  const lines: ReportLine[] = [];
  for (const p of problems) {
    const count = shown.get(p.code) ?? 0;
    if (count >= perCode) continue;
    shown.set(p.code, count + 1);
    lines.push({ kind: 'problem', problem: p });
    const total = totals.get(p.code) ?? 0;
    if (count + 1 === perCode && total > perCode) lines.push({ kind: 'more', code: p.code, count: total - perCode });
  }
  return lines;
}
