/**
 * An in-process school server for the sync tests: the protocol of src/core/sync/protocol.ts on a map, using the
 * core's own rules as the real server does (the writer rules as the signed-in person, `applyChange`, `mayReceive`).
 *
 * - Push: a change id is applied once (`duplicate` after that); a refused change is answered with the server's
 *   record when the person may receive it. Every applied change gives the record the next version.
 * - Pull: every record with a version above `since`, in version order, a page at a time: the ones the person may
 *   receive as records, the others as `gone` (harmless for a device that never had them), except what is
 *   recorded in an observation: the observation's `gone` takes it along. A change of who may see
 *   an observation (its status, its reflection sharing it with the leadership or taking that back) gives
 *   everything recorded in it a new version too, so it is decided again at the next pull.
 * - Versions: every push and pull says the device's record-schema version; one outside the server's window is
 *   refused as the real server refuses it (409 `app-too-old` or `server-too-old`), and a push of an older version
 *   is upgraded with the core's `upgradeChange` first. Tests move the window to make a device too old or too new.
 * - Everything crosses the "wire" as JSON, so the device and the server never share an object.
 *
 * `link(personId)` is one device's connection, with switches for what goes wrong on a network.
 */
import { applyChange, type PlainRecord } from '../../../src/core/sync/apply-change';
import { mayReceive, observationIdOf } from '../../../src/core/sync/audience';
import { IN_OBSERVATION, storeLookups, writeIntent, type IntentLookups } from '../../../src/core/sync/write-intent';
import { validateInstrument } from '../../../src/core/instrument/validate';
import { refusal } from '../../../src/core/model/lifecycle';
import {
  PULL_PAGE,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type PushResult,
  type SyncRecord,
} from '../../../src/core/sync/protocol';
import type { RecordKind } from '../../../src/core/sync/change';
import {
  CURRENT_SCHEMA_VERSION,
  OLDEST_SCHEMA_VERSION,
  UNVERSIONED_SCHEMA_VERSION,
  upgradeChange,
} from '../../../src/core/sync/sync-versions';
import type { Observation, ObservationRequest, Person, Reflection } from '../../../src/core/model/records';
import {
  SyncHttpError,
  SyncOffline,
  type SessionInfo,
  type SyncTransport,
} from '../../../src/data/sync/sync-transport';

interface Stored {
  kind: RecordKind;
  id: string;
  version: number;
  data: PlainRecord;
}

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const keyOf = (kind: RecordKind, id: string) => `${kind}:${id}`;

export const SCHOOL = { id: 'school-1', name: 'OBS De Linde' };

export class FakeServer {
  private version = 0;
  readonly records = new Map<string, Stored>();
  private readonly appliedIds = new Set<string>();
  /** Push requests received (also those whose answer was lost). */
  pushes = 0;
  /** Every change received, in order (also those sent again). */
  readonly received: PushRequest['changes'][number][] = [];
  pageSize = PULL_PAGE;
  /** The record-schema versions this server accepts (its support window); a test moves it. */
  window = { oldest: OLDEST_SCHEMA_VERSION, current: CURRENT_SCHEMA_VERSION };
  /** The version every push and pull said, in order (undefined: it said none). */
  readonly versionsHeard: Array<number | undefined> = [];

  /** Refuses a device outside the window, as the real server does (src/server/routes/sync.ts). */
  admit(version: number | undefined): void {
    this.versionsHeard.push(version);
    const said = version ?? UNVERSIONED_SCHEMA_VERSION;
    if (said < this.window.oldest)
      throw new SyncHttpError(409, 'app-too-old', `Schema version ${said} is older than this server accepts`);
    if (said > this.window.current)
      throw new SyncHttpError(409, 'server-too-old', `Schema version ${said} is newer than this server knows`);
  }

  private get(kind: RecordKind, id: string): PlainRecord | undefined {
    return this.records.get(keyOf(kind, id))?.data;
  }

  private put(kind: RecordKind, data: PlainRecord): void {
    this.version += 1;
    this.records.set(keyOf(kind, data.id), { kind, id: data.id, version: this.version, data });
  }

  /** Records the server starts with (the school, its people, an instrument, the school year). */
  seed(kind: RecordKind, record: object): void {
    this.put(kind, wire(record) as PlainRecord);
  }

  person(id: string): Person {
    const person = this.get('person', id);
    if (!person) throw new Error(`no person ${id}`);
    return person as unknown as Person;
  }

  private lookups: IntentLookups = storeLookups(
    {
      get: async (kind, id) => this.get(kind, id),
      countIn: async (kind, observationId) =>
        [...this.records.values()].filter((r) => r.kind === kind && r.data.observationId === observationId).length,
      now: () => Date.now(),
    },
    (content) => validateInstrument(content).ok,
  );

  private context(kind: RecordKind, data: PlainRecord) {
    const observationId = observationIdOf(kind, data as { id: string; observationId?: unknown });
    return {
      ...(observationId
        ? {
            observation: this.get('observation', observationId) as Observation | undefined,
            reflection: this.get('reflection', observationId) as Reflection | undefined,
          }
        : {}),
      ...(kind === 'decline'
        ? { request: this.get('request', String(data.requestId)) as ObservationRequest | undefined }
        : {}),
    };
  }

  /** Whether this person may hold this record. */
  mayReceive(personId: string, kind: RecordKind, data: PlainRecord): boolean {
    const context = this.context(kind, data);
    return mayReceive(this.person(personId), kind, data, {
      ...(context.observation ? { observation: context.observation } : {}),
      ...(context.reflection ? { reflection: context.reflection } : {}),
      ...(context.request ? { request: context.request } : {}),
    });
  }

  /** What this person's device should hold: every record they may receive, by table kind. */
  visibleTo(personId: string): Map<string, PlainRecord> {
    const visible = new Map<string, PlainRecord>();
    for (const [key, record] of this.records)
      if (this.mayReceive(personId, record.kind, record.data)) visible.set(key, record.data);
    return visible;
  }

  async push(personId: string, request: PushRequest): Promise<PushResponse> {
    this.pushes += 1;
    this.received.push(...request.changes);
    const actor = this.person(personId);
    const results: PushResult[] = [];
    const version = request.schemaVersion ?? UNVERSIONED_SCHEMA_VERSION;
    const changes =
      version < CURRENT_SCHEMA_VERSION ? request.changes.map((c) => upgradeChange(c, version)) : request.changes;
    for (const change of changes) {
      if (this.appliedIds.has(change.id)) {
        results.push({ id: change.id, outcome: 'duplicate' });
        continue;
      }
      const current = this.get(change.kind, change.recordId);
      const after = applyChange(current, change);
      const reason = !after
        ? 'unknown-record'
        : refusal(
            actor,
            await writeIntent(
              change.kind,
              change.op === 'insert' && current ? 'patch' : change.op,
              current,
              after,
              this.lookups,
            ),
          );
      if (reason || !after) {
        const mine = current && this.mayReceive(personId, change.kind, current);
        const record = mine ? this.records.get(keyOf(change.kind, change.recordId)) : undefined;
        results.push({
          id: change.id,
          outcome: 'refused',
          reason: reason ?? 'unknown-record',
          ...(record ? { record: wire(record) } : {}),
        });
        continue;
      }
      this.appliedIds.add(change.id);
      this.put(change.kind, after);
      // Who may see an observation depends on its status and on whether its reflection shares it with the
      // leadership: when either changes, everything in it is decided again.
      const decides =
        (change.kind === 'observation' && current?.status !== after.status) ||
        (change.kind === 'reflection' &&
          (current?.sharedWithLeaderAt === undefined) !== (after.sharedWithLeaderAt === undefined));
      const observationId = decides
        ? observationIdOf(change.kind, after as { id: string; observationId?: unknown })
        : undefined;
      if (observationId) {
        for (const record of [...this.records.values()]) {
          if (
            (record.kind === 'observation' || IN_OBSERVATION.has(record.kind)) &&
            observationIdOf(record.kind, record.data as { id: string; observationId?: unknown }) === observationId
          )
            this.put(record.kind, record.data);
        }
      }
      results.push({ id: change.id, outcome: 'applied' });
    }
    return { results };
  }

  pull(personId: string, since: string): PullResponse {
    const after = Number(since);
    const changed = [...this.records.values()]
      .filter((record) => record.version > after)
      .sort((a, b) => a.version - b.version);
    const page = changed.slice(0, this.pageSize);
    const records: SyncRecord[] = [];
    const gone: PullResponse['gone'] = [];
    for (const record of page) {
      if (this.mayReceive(personId, record.kind, record.data)) records.push(record);
      // What is recorded in an observation goes with it: the observation's own `gone` (it has a new version
      // whenever who may see it changes) takes it along on the device.
      else if (!IN_OBSERVATION.has(record.kind)) gone.push({ kind: record.kind, id: record.id });
    }
    return wire({ records, gone, cursor: String(page.at(-1)?.version ?? after), more: changed.length > page.length });
  }

  /** One device's connection, as signed in by this person. */
  link(personId: string): Link {
    return new Link(this, personId);
  }
}

/** A device's connection, with the ways a network fails. */
export class Link implements SyncTransport {
  /** No answer at all (the request never arrives). */
  offline = false;
  /** The next N pushes arrive and are applied, but their answers are lost on the way back. */
  loseAnswers = 0;
  /** The session was revoked: every call answers 401. */
  revoked = false;
  /** The server fails with this status (5xx) for every call. */
  failWith: number | undefined;
  /** Runs while a push is on its way (after the server applied it, before the device hears back). */
  duringPush: (() => Promise<void>) | undefined;
  /** Every call made, in order. */
  readonly calls: string[] = [];

  constructor(
    private readonly server: FakeServer,
    readonly personId: string,
  ) {}

  private gate(call: string): void {
    this.calls.push(call);
    if (this.offline) throw new SyncOffline(new TypeError('Failed to fetch'));
    if (this.revoked) throw new SyncHttpError(401, 'session-ended', 'Not signed in');
    if (this.failWith) throw new SyncHttpError(this.failWith, 'unavailable', 'Server error');
  }

  private session(): SessionInfo {
    return wire({ person: this.server.person(this.personId), school: SCHOOL, sessionId: `session-${this.personId}` });
  }

  async signIn(): Promise<SessionInfo> {
    this.gate('sign-in');
    return this.session();
  }

  async me(): Promise<SessionInfo> {
    this.gate('me');
    return this.session();
  }

  async signOut(): Promise<void> {
    this.gate('sign-out');
    this.revoked = true;
  }

  async push(request: PushRequest): Promise<PushResponse> {
    this.gate('push');
    this.server.admit(request.schemaVersion);
    const response = await this.server.push(this.personId, wire(request));
    await this.duringPush?.();
    if (this.loseAnswers > 0) {
      this.loseAnswers -= 1;
      throw new SyncOffline(new TypeError('Failed to fetch'));
    }
    return wire(response);
  }

  async pull(since: string, schemaVersion: number): Promise<PullResponse> {
    this.gate('pull');
    this.server.admit(schemaVersion);
    return this.server.pull(this.personId, since);
  }
}
