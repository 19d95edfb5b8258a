import { describe, expect, it } from 'vitest';
import { stalledCycles, type Cycle } from '../../src/core/feedback/stalled';
import type { Person, Team } from '../../src/core/model/records';

const DAY = 24 * 60 * 60 * 1000;
const NOW = 1_000 * DAY;
const team = (id: string): Pick<Team, 'id'> => ({ id });
const teacher = (id: string, teamId?: string): Pick<Person, 'id' | 'role' | 'teamId'> => ({
  id,
  role: 'teacher',
  ...(teamId ? { teamId } : {}),
});
/** A cycle of `observedId` that reached its step `daysAgo` days before NOW. */
function cycle(observedId: string, step: 'completed' | 'handed-over' | 'read' | 'discussed', daysAgo: number): Cycle {
  const at = NOW - daysAgo * DAY;
  const base = { observedId, purpose: 'peer' as const, startedAt: at - DAY, completedAt: at };
  if (step === 'completed') return { ...base, status: 'completed' };
  const shared = { ...base, status: 'shared' as const, handedOverAt: at };
  if (step === 'handed-over') return shared;
  return { ...shared, reflection: step === 'read' ? { readAt: at } : { readAt: at - 1, acknowledgedAt: at } };
}

describe('stalled feedback cycles for a leader', () => {
  // Team a: three teachers; team b: three; team c: two (too small to show alone).
  const people = [
    teacher('a1', 'a'),
    teacher('a2', 'a'),
    teacher('a3', 'a'),
    teacher('b1', 'b'),
    teacher('b2', 'b'),
    teacher('b3', 'b'),
    teacher('c1', 'c'),
    teacher('c2', 'c'),
    teacher('d1'),
    { id: 'boss', role: 'leader' as const },
  ];
  const teams = [team('a'), team('b'), team('c')];

  it('counts late cycles per step and per team, only for teams that may be shown, the rest in one row', () => {
    const result = stalledCycles(
      [
        cycle('a1', 'completed', 20), // late: waits for the feedback
        cycle('a2', 'handed-over', 15), // late: waits for reading
        cycle('a3', 'read', 30), // late: waits for the conversation
        cycle('a1', 'completed', 3), // not late yet
        cycle('a2', 'discussed', 200), // done
        cycle('c1', 'completed', 40), // late, in a team too small to show
        cycle('d1', 'handed-over', 40), // late, in no team
        { ...cycle('b1', 'completed', 50), purpose: 'self' }, // a self-assessment waits for nobody
        cycle('gone', 'completed', 50), // someone who left
        cycle('boss', 'completed', 50), // a leader's own lesson
      ],
      people,
      teams,
      NOW,
      14,
    );
    expect(result.dueAfterDays).toBe(14);
    expect(result.school).toEqual({ feedback: 2, reading: 2, conversation: 1 });
    expect(result.teams).toEqual([
      { teamId: 'a', count: { feedback: 1, reading: 1, conversation: 1 } },
      { teamId: 'b', count: { feedback: 0, reading: 0, conversation: 0 } },
    ]);
    expect(result.others).toEqual({ feedback: 1, reading: 1, conversation: 0 });
  });

  it('follows the school’s number of days', () => {
    const cycles = [cycle('a1', 'completed', 10)];
    expect(stalledCycles(cycles, people, teams, NOW, 14).school?.feedback).toBe(0);
    expect(stalledCycles(cycles, people, teams, NOW, 7).school?.feedback).toBe(1);
  });

  it('never lets the total minus the shown teams point at one or two teachers', () => {
    // Only team c (two teachers) is left over beside a and b: a and b together leave two, so the smallest shown team
    // is held back too and joins the leftover row.
    const result = stalledCycles(
      [cycle('c1', 'completed', 40), cycle('a1', 'completed', 40)],
      people.slice(0, 8),
      teams,
      NOW,
      14,
    );
    expect(result.teams).toHaveLength(1);
    const [shownTeam] = result.teams;
    const shownSize = people.filter((p) => 'teamId' in p && p.teamId === shownTeam!.teamId).length;
    expect(8 - shownSize).toBeGreaterThanOrEqual(3);
    // The rows add up to the school's total.
    const sum = (key: 'feedback') => result.teams.reduce((n, t) => n + t.count[key], 0) + (result.others?.[key] ?? 0);
    expect(sum('feedback')).toBe(result.school?.feedback);
    expect(result.others?.feedback).toBeGreaterThanOrEqual(1);
  });

  it('shows nothing for a school of fewer than three teachers', () => {
    const result = stalledCycles([cycle('a1', 'completed', 40)], people.slice(0, 2), [team('a')], NOW, 14);
    expect(result.school).toBeNull();
    expect(result.teams).toEqual([]);
    expect(result.others).toBeNull();
  });
});
