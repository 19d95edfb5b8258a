/**
 * The guided start a school leader sees until the school is running: the steps in order, each ticked once done.
 * Most steps are seen in the records (colleagues added, a kijkwijzer of the school's own, a first observation or
 * request); the ones the device cannot see (codes handed out, the shipped kijkwijzers chosen as they are) the leader
 * ticks. What they ticked, and whether they put the list away, belongs to this device.
 */
import { alive, db } from '../database/db';
import { saveDeviceSetting } from '../writes/local';

const START_STEPS = ['team', 'instrument', 'codes', 'plan'] as const;
export type StartStep = (typeof START_STEPS)[number];

export interface StartProgress {
  /** Steps done, seen in the records or ticked. */
  done: StartStep[];
  /** Steps the leader ticked by hand (they can untick them). */
  ticked: StartStep[];
  /** The leader put the list away. */
  hidden: boolean;
  /** Colleagues besides school leaders. */
  colleagues: number;
}

interface Stored {
  ticked: StartStep[];
  hidden: boolean;
}

async function stored(): Promise<Stored> {
  const value = (await db().device.get('gettingStarted'))?.value;
  try {
    const parsed = value ? (JSON.parse(value) as Partial<Stored>) : {};
    return {
      ticked: (parsed.ticked ?? []).filter((step): step is StartStep => START_STEPS.includes(step as StartStep)),
      hidden: parsed.hidden === true,
    };
  } catch {
    return { ticked: [], hidden: false };
  }
}

export async function loadStartProgress(): Promise<StartProgress> {
  const database = db();
  const mine = await stored();
  // Put away: the list is not shown, so the school's records (instruments hold whole instruments) are not read.
  if (mine.hidden)
    return {
      done: START_STEPS.filter((step) => mine.ticked.includes(step)),
      ticked: mine.ticked,
      hidden: true,
      colleagues: 0,
    };
  const [people, instruments, observations, requests] = await Promise.all([
    database.people.toArray(),
    database.instruments.toArray(),
    database.observations.count(),
    database.requests.count(),
  ]);
  const colleagues = people.filter((p) => alive(p) && p.archivedAt === undefined && p.role !== 'leader').length;
  const seen: StartStep[] = [
    ...(colleagues > 0 ? (['team'] as const) : []),
    ...(instruments.some((i) => alive(i) && i.source === 'imported') ? (['instrument'] as const) : []),
    ...(observations + requests > 0 ? (['plan'] as const) : []),
  ];
  const done = START_STEPS.filter((step) => seen.includes(step) || mine.ticked.includes(step));
  return { done, ticked: mine.ticked, hidden: mine.hidden, colleagues };
}

async function store(change: (current: Stored) => Stored): Promise<void> {
  await saveDeviceSetting({ key: 'gettingStarted', value: JSON.stringify(change(await stored())) });
}

/** The leader says a step is done (or not, after all). */
export const tickStartStep = (step: StartStep, done: boolean) =>
  store((current) => ({
    ...current,
    ticked: done ? [...new Set([...current.ticked, step])] : current.ticked.filter((s) => s !== step),
  }));

/** The leader puts the list away (or brings it back). */
export const hideGettingStarted = (hidden: boolean) => store((current) => ({ ...current, hidden }));
