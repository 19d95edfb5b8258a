/** A school's holidays as a leader enters them (src/core/model/holidays.ts). */
import { describe, expect, it } from 'vitest';
import { holidayProblem, sortedHolidays } from '../../src/core/model/holidays';

describe('a holiday', () => {
  it('needs a name, two real days, and a last day not before the first', () => {
    const ok = { name: 'Herfstvakantie', startsOn: '2026-10-19', endsOn: '2026-10-23' };
    expect(holidayProblem(ok)).toBeUndefined();
    expect(holidayProblem({ ...ok, endsOn: ok.startsOn })).toBeUndefined();
    expect(holidayProblem({ ...ok, name: '   ' })).toBe('name');
    expect(holidayProblem({ ...ok, name: 'Herfst\nvakantie' })).toBe('name');
    expect(holidayProblem({ ...ok, name: 'x'.repeat(201) })).toBe('name');
    expect(holidayProblem({ ...ok, startsOn: '' })).toBe('startsOn');
    expect(holidayProblem({ ...ok, startsOn: '2026-02-30' })).toBe('startsOn');
    expect(holidayProblem({ ...ok, endsOn: '1999-12-31' })).toBe('endsOn');
    expect(holidayProblem({ ...ok, endsOn: '2026-10-18' })).toBe('order');
  });

  it('sorts by first day, then last day, then name, trimming the names', () => {
    expect(
      sortedHolidays([
        { name: 'B', startsOn: '2026-10-19', endsOn: '2026-10-23' },
        { name: ' A ', startsOn: '2026-10-19', endsOn: '2026-10-23' },
        { name: 'C', startsOn: '2026-10-19', endsOn: '2026-10-20' },
        { name: 'D', startsOn: '2025-12-22', endsOn: '2026-01-02' },
      ]).map((holiday) => holiday.name),
    ).toEqual(['D', 'C', 'A', 'B']);
  });
});
