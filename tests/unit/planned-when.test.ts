import { afterAll, describe, expect, it, vi } from 'vitest';
import { plannedWhen } from '../../src/ui/shared/planned-when';
import { fieldsOf, planOf } from '../../src/ui/features/feedback/plan';
import { locale } from '../../src/ui/i18n/locale.svelte';

// The language state marks the page's language: these tests run without a page, so it gets a stand-in.
vi.hoisted(() => {
  (globalThis as { document?: unknown }).document ??= { documentElement: {} };
});

describe('when a requested lesson is, on screen', () => {
  afterAll(() => locale.set('nl'));

  it('names the day, with the start time, or start and end, in Dutch and English', async () => {
    await locale.set('nl');
    expect(plannedWhen({ plannedOn: '2026-12-01' })).toBe('dinsdag 1 december');
    expect(plannedWhen({ plannedOn: '2026-12-01', plannedTime: '09:05' })).toBe('dinsdag 1 december, 09:05');
    expect(plannedWhen({ plannedOn: '2026-12-01', plannedTime: '09:05', durationMinutes: 50 }, { withEnd: true })).toBe(
      'dinsdag 1 december, 09:05–09:55',
    );
    expect(plannedWhen({ plannedOn: '2026-12-01', plannedTime: '13:30' }, { weekday: 'short', withEnd: true })).toBe(
      'di 1 december, 13:30–14:30',
    );
    expect(plannedWhen({})).toBe('');
    await locale.set('en');
    expect(plannedWhen({ plannedOn: '2026-12-01', plannedTime: '13:30' }, { withEnd: true })).toBe(
      'Tuesday 1 December, 13:30–14:30',
    );
  });

  it('shows the time as it was chosen, even one the clocks skip that night', async () => {
    await locale.set('nl');
    expect(plannedWhen({ plannedOn: '2026-03-29', plannedTime: '02:30' })).toBe('zondag 29 maart, 02:30');
  });
});

describe('the plan as typed', () => {
  it('stores a day, a day and a time, or a day, a time and a whole length from 5 to 720 minutes', () => {
    expect(planOf(fieldsOf({}))).toEqual({});
    expect(fieldsOf({})).toEqual({ plannedOn: '', plannedTime: '', durationMinutes: 60 });
    expect(planOf({ plannedOn: '2026-12-01', plannedTime: '', durationMinutes: 60 })).toEqual({
      plannedOn: '2026-12-01',
    });
    expect(planOf({ plannedOn: '', plannedTime: '09:00', durationMinutes: 60 })).toEqual({});
    expect(planOf({ plannedOn: '2026-12-01', plannedTime: '09:00', durationMinutes: 45 })).toEqual({
      plannedOn: '2026-12-01',
      plannedTime: '09:00',
      durationMinutes: 45,
    });
    for (const wrong of [null, 4, 721, 30.5, Number.NaN])
      expect(planOf({ plannedOn: '2026-12-01', plannedTime: '09:00', durationMinutes: wrong })).toBeUndefined();
  });
});
