/**
 * The kinds of record the device keeps and the table each lives in: what the write path (local.ts), the outbox
 * (outbox.ts) and the server's records (remote.ts) all address by kind.
 */
import type { Table } from 'dexie';
import { db, type MeekijkenDb } from '../database/db';
import type {
  Amendment,
  Feedback,
  Goal,
  InstalledInstrument,
  InstrumentDraft,
  ItemResponse,
  Note,
  Observation,
  ObservationRequest,
  Person,
  Reflection,
  RequestDecline,
  School,
  SchoolYear,
  Team,
} from '../../core/model/records';
import type { RecordKind } from '../../core/sync/change';

/** The record type of each kind. */
export interface Records {
  school: School;
  team: Team;
  person: Person;
  schoolYear: SchoolYear;
  instrument: InstalledInstrument;
  observation: Observation;
  response: ItemResponse;
  note: Note;
  amendment: Amendment;
  feedback: Feedback;
  reflection: Reflection;
  request: ObservationRequest;
  decline: RequestDecline;
  goal: Goal;
  instrumentDraft: InstrumentDraft;
}

/** The table of each kind of record. */
export const TABLES = {
  school: 'schools',
  team: 'teams',
  person: 'people',
  schoolYear: 'schoolYears',
  instrument: 'instruments',
  observation: 'observations',
  response: 'responses',
  note: 'notes',
  amendment: 'amendments',
  feedback: 'feedback',
  reflection: 'reflections',
  request: 'requests',
  decline: 'declines',
  goal: 'goals',
  instrumentDraft: 'instrumentDrafts',
} as const satisfies Record<RecordKind, keyof MeekijkenDb>;

/** The table of a kind, typed with its record. */
export function table<K extends RecordKind>(kind: K): Table<Records[K], string> {
  return db()[TABLES[kind]] as unknown as Table<Records[K], string>;
}
