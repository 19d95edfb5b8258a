import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIME_ZONE,
  isSchoolDay,
  isTimeZone,
  nextDay,
  remindAfterSchoolDaysOf,
  REMIND_SCHOOL_DAYS,
  schoolDaysSince,
  timeZoneOf,
  wallClock,
  zonedMoment,
} from '../../src/core/notify/school-days';
import type { Holiday } from '../../src/core/model/records';

const HOUR = 60 * 60 * 1000;
const at = (iso: string) => Date.parse(iso);

describe('the school time zone', () => {
  it('knows IANA names and falls back to Amsterdam', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
    expect(timeZoneOf(undefined)).toBe(DEFAULT_TIME_ZONE);
    expect(timeZoneOf({ timeZone: 'Nowhere/Special' })).toBe(DEFAULT_TIME_ZONE);
    expect(timeZoneOf({ timeZone: 'Asia/Tokyo' })).toBe('Asia/Tokyo');
  });
});

describe('the school’s reminder interval', () => {
  it('is the school’s own, or the default', () => {
    expect(remindAfterSchoolDaysOf(undefined)).toBe(REMIND_SCHOOL_DAYS.default);
    expect(remindAfterSchoolDaysOf({})).toBe(REMIND_SCHOOL_DAYS.default);
    expect(remindAfterSchoolDaysOf({ remindAfterSchoolDays: 3 })).toBe(3);
  });
});

describe('nextDay', () => {
  it('steps over the ends of months and years and a leap day, whatever the zone', () => {
    expect(nextDay('2026-01-31')).toBe('2026-02-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2026-03-28')).toBe('2026-03-29');
    expect(nextDay('2026-10-25')).toBe('2026-10-26');
  });
});

describe('wallClock', () => {
  it('reads the clock and offset of a zone in winter and in summer', () => {
    expect(wallClock(at('2026-01-15T08:00:00Z'), 'Europe/Amsterdam')).toEqual({
      date: '2026-01-15',
      time: '09:00',
      offsetMs: 1 * HOUR,
    });
    expect(wallClock(at('2026-07-15T07:00:00Z'), 'Europe/Amsterdam')).toEqual({
      date: '2026-07-15',
      time: '09:00',
      offsetMs: 2 * HOUR,
    });
    expect(wallClock(at('2026-01-15T14:00:00Z'), 'America/New_York')).toEqual({
      date: '2026-01-15',
      time: '09:00',
      offsetMs: -5 * HOUR,
    });
    expect(wallClock(at('2026-01-15T03:30:00Z'), 'Asia/Kolkata').offsetMs).toBe(5.5 * HOUR);
  });

  it('says 00:00 at midnight, and the local date where it differs from UTC', () => {
    expect(wallClock(at('2026-01-14T23:00:00Z'), 'Europe/Amsterdam')).toMatchObject({
      date: '2026-01-15',
      time: '00:00',
    });
    expect(wallClock(at('2026-01-15T02:00:00Z'), 'America/New_York')).toMatchObject({
      date: '2026-01-14',
      time: '21:00',
    });
  });

  it('ignores the seconds and milliseconds of the moment in its offset', () => {
    expect(wallClock(at('2026-01-15T08:00:59.999Z'), 'Europe/Amsterdam').offsetMs).toBe(HOUR);
  });
});

describe('zonedMoment', () => {
  it('finds a wall-clock time in winter and in summer, in Amsterdam and elsewhere', () => {
    expect(zonedMoment('2026-01-15', '09:00', 'Europe/Amsterdam')).toBe(at('2026-01-15T08:00:00Z'));
    expect(zonedMoment('2026-06-15', '09:00', 'Europe/Amsterdam')).toBe(at('2026-06-15T07:00:00Z'));
    expect(zonedMoment('2026-01-15', '09:00', 'America/New_York')).toBe(at('2026-01-15T14:00:00Z'));
    expect(zonedMoment('2026-06-15', '09:00', 'America/New_York')).toBe(at('2026-06-15T13:00:00Z'));
    expect(zonedMoment('2026-06-15', '09:00', 'Australia/Sydney')).toBe(at('2026-06-14T23:00:00Z'));
    expect(zonedMoment('2026-01-15', '00:00', 'Asia/Kolkata')).toBe(at('2026-01-14T18:30:00Z'));
    expect(zonedMoment('2026-01-15', '09:00', 'UTC')).toBe(at('2026-01-15T09:00:00Z'));
  });

  it('reads a time on the day the clocks change, away from the change, with the new offset', () => {
    expect(zonedMoment('2026-03-29', '09:00', 'Europe/Amsterdam')).toBe(at('2026-03-29T07:00:00Z'));
    expect(zonedMoment('2026-03-29', '01:30', 'Europe/Amsterdam')).toBe(at('2026-03-29T00:30:00Z'));
    expect(zonedMoment('2026-10-25', '09:00', 'Europe/Amsterdam')).toBe(at('2026-10-25T08:00:00Z'));
    expect(zonedMoment('2026-03-08', '09:00', 'America/New_York')).toBe(at('2026-03-08T13:00:00Z'));
  });

  it('reads a time the spring change skips with the offset from before the change (02:30 is 03:30)', () => {
    const amsterdam = zonedMoment('2026-03-29', '02:30', 'Europe/Amsterdam');
    expect(amsterdam).toBe(at('2026-03-29T01:30:00Z'));
    expect(wallClock(amsterdam, 'Europe/Amsterdam').time).toBe('03:30');
    const newYork = zonedMoment('2026-03-08', '02:30', 'America/New_York');
    expect(newYork).toBe(at('2026-03-08T07:30:00Z'));
    expect(wallClock(newYork, 'America/New_York').time).toBe('03:30');
    const sydney = zonedMoment('2026-10-04', '02:30', 'Australia/Sydney');
    expect(wallClock(sydney, 'Australia/Sydney')).toMatchObject({ date: '2026-10-04', time: '03:30' });
  });

  it('reads a time the autumn change repeats as its first occurrence, in both hemispheres', () => {
    expect(zonedMoment('2026-10-25', '02:30', 'Europe/Amsterdam')).toBe(at('2026-10-25T00:30:00Z'));
    expect(zonedMoment('2026-11-01', '01:30', 'America/New_York')).toBe(at('2026-11-01T05:30:00Z'));
    // Sydney leaves summer time on 5 April 2026: 02:30 happens at +11 first, then at +10.
    expect(zonedMoment('2026-04-05', '02:30', 'Australia/Sydney')).toBe(at('2026-04-04T15:30:00Z'));
  });

  it('turns back into the same wall clock for every quarter hour around both changes of a year', () => {
    const zones = ['Europe/Amsterdam', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Tokyo'];
    const days = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-10-25', '2026-11-01'];
    for (const zone of zones)
      for (const day of days)
        for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
          const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
          const moment = zonedMoment(day, time, zone);
          const clock = wallClock(moment, zone);
          // A skipped time lands after it, within the hour (or half hour) the clocks jumped; every other time exactly.
          if (clock.time !== time) {
            expect(clock.date, `${zone} ${day} ${time}`).toBe(day);
            expect(clock.time > time, `${zone} ${day} ${time} -> ${clock.time}`).toBe(true);
            expect(moment - zonedMoment(day, clock.time, zone)).toBe(0);
          } else expect(clock.date, `${zone} ${day} ${time}`).toBe(day);
        }
  });
});

describe('isSchoolDay', () => {
  const holidays: Holiday[] = [{ name: 'Voorjaarsvakantie', startsOn: '2026-02-16', endsOn: '2026-02-20' }];

  it('is open from Monday to Friday', () => {
    expect(isSchoolDay('2026-01-12')).toBe(true); // Monday
    expect(isSchoolDay('2026-01-16')).toBe(true); // Friday
    expect(isSchoolDay('2026-01-17')).toBe(false); // Saturday
    expect(isSchoolDay('2026-01-18')).toBe(false); // Sunday
  });

  it('is closed on every day of a holiday, both ends included', () => {
    expect(isSchoolDay('2026-02-13', holidays)).toBe(true);
    expect(isSchoolDay('2026-02-16', holidays)).toBe(false);
    expect(isSchoolDay('2026-02-18', holidays)).toBe(false);
    expect(isSchoolDay('2026-02-20', holidays)).toBe(false);
    expect(isSchoolDay('2026-02-23', holidays)).toBe(true);
    expect(isSchoolDay('2026-02-18')).toBe(true);
  });

  it('takes a one-day holiday', () => {
    expect(isSchoolDay('2026-04-27', [{ name: 'Koningsdag', startsOn: '2026-04-27', endsOn: '2026-04-27' }])).toBe(
      false,
    );
  });
});

describe('schoolDaysSince', () => {
  const zone = 'Europe/Amsterdam';
  const local = (date: string, time = '10:00') => zonedMoment(date, time, zone);

  it('counts the school days after the first day, up to and including today', () => {
    expect(schoolDaysSince(local('2026-01-12'), local('2026-01-12', '16:00'), zone)).toBe(0);
    expect(schoolDaysSince(local('2026-01-12'), local('2026-01-13'), zone)).toBe(1);
    expect(schoolDaysSince(local('2026-01-12'), local('2026-01-19'), zone)).toBe(5);
  });

  it('counts one school day from a Friday to the Monday after, none over the weekend', () => {
    expect(schoolDaysSince(local('2026-01-16'), local('2026-01-18'), zone)).toBe(0);
    expect(schoolDaysSince(local('2026-01-16'), local('2026-01-19'), zone)).toBe(1);
  });

  it('skips the holidays', () => {
    const holidays: Holiday[] = [{ name: 'Voorjaarsvakantie', startsOn: '2026-02-16', endsOn: '2026-02-20' }];
    expect(schoolDaysSince(local('2026-02-13'), local('2026-02-23'), zone, holidays)).toBe(1);
    expect(schoolDaysSince(local('2026-02-13'), local('2026-02-23'), zone)).toBe(6);
  });

  it('counts days in the school’s time zone, not in UTC', () => {
    // 23:30 UTC on Sunday is already Monday in Amsterdam; 23:30 UTC on Monday in New York is still Monday.
    const sundayNight = at('2026-01-18T23:30:00Z');
    expect(schoolDaysSince(local('2026-01-16'), sundayNight, zone)).toBe(1);
    expect(schoolDaysSince(local('2026-01-16'), sundayNight, 'America/New_York')).toBe(0);
  });

  it('is 0 for a moment in the future, and stops at a year', () => {
    expect(schoolDaysSince(local('2026-01-20'), local('2026-01-12'), zone)).toBe(0);
    const count = schoolDaysSince(local('2020-01-01'), local('2026-01-01'), zone);
    expect(count).toBeGreaterThan(250);
    expect(count).toBeLessThanOrEqual(262);
  });
});
