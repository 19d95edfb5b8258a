/**
 * One observer recording one lesson: the state behind the capture screen, without the screen.
 *
 * It owns the most delicate part of the app:
 * - **taps** are journalled and written at once (`record`); the screen follows the stored value. A tap shows on its
 *   own only when its write is slow or failed, and stays on screen until the store holds it or something newer
 *   (latest wins, per field, by the moment of the change);
 * - **the lesson clock**: what is stored is its state at each start and pause; a tap on start or pause shows at once;
 * - **the position**: the domain on screen, restored from the observation and remembered on every change (also when
 *   the screen opens on one item, `showItem`);
 * - **the due snapshot** of a snapshot instrument.
 *
 * Create it while a component initialises (or inside `$effect.root` in a test) and call `destroy()` when done.
 */
import { Live } from '../../shared/live.svelte';
import { getObservation } from '../../../data/observations';
import { getInstalledInstrument } from '../../../data/instruments';
import { listResponses } from '../../../data/responses';
import { listNotes } from '../../../data/notes';
import { listAmendments } from '../../../data/amendments';
import { getPerson } from '../../../data/people';
import type { DurableChange } from '../../../data/journal';
import { allItems, flattenItems, type Domain, type Instrument } from '../../../core/instrument';
import { elapsedMs, pauseClock, startClock } from '../../../core/observation/clock';
import { observationProgress, type ObservationProgress, type ResponseContent } from '../../../core/observation/progress';
import { applyResponsePatch, patchField, type ResponsePatch } from '../../../core/observation/response-patch';
import { dueSnapshot, isSnapshotComplete, snapshotMinutes, snapshotsToFill } from '../../../core/observation/snapshots';
import type { Amendment, ItemResponse, LessonClock, Note, Observation, Person, Uuid } from '../../../core/model/records';
import type { Actor } from '../../../core/model/lifecycle';
import { recordChange } from './actions';

/** What the screen shows for an item: the stored response, or a tap that is not stored yet laid over it. */
export type ShownResponse = ResponseContent & Pick<ItemResponse, 'updatedAt' | 'changedAt'> & Partial<Pick<ItemResponse, 'evidence'>>;

interface PendingTap {
  itemId: string;
  patch: ResponsePatch;
  /** The moment of the tap, which the stored `changedAt` of its field is compared with. */
  at: number;
}

export interface CaptureSessionOptions {
  observationId: Uuid;
  /** Who is recording: every change is written as theirs, and the write path refuses anyone but the observer. */
  me: Person;
  /** Journals and writes a change; resolves true once it is committed. The app's `recordChange` by default. */
  record?: (change: DurableChange, actor: Actor, at: number) => Promise<boolean>;
  /** The time; injectable so tests can move the lesson clock. */
  now?: () => number;
  /** A tap whose write takes longer than this shows before it is stored (about two frames). */
  showPendingAfterMs?: number;
}

/** Whether the store already holds this tap or a newer change of the same field. */
const caughtUp = (tap: PendingTap, stored: Pick<ItemResponse, 'changedAt'> | undefined) =>
  (stored?.changedAt?.[patchField(tap.patch)] ?? -Infinity) >= tap.at;

export class CaptureSession {
  readonly observationId: Uuid;
  readonly me: Person;
  observation!: Live<Observation | undefined>;
  stored!: Live<ItemResponse[]>;
  notes!: Live<Note[]>;
  amendments!: Live<Amendment[]>;

  // The instrument version of an observation never changes (installed versions are immutable), and the observed
  // colleague's name does not need to follow edits mid-lesson: both are read once, not on every clock or domain
  // change of the observation record.
  instrument = $state.raw<Instrument | undefined>();
  observedName = $state('');
  private setupLoaded = $state(false);
  private setupError = $state.raw<unknown>();

  /** Taps shown before they are stored (slow or failed writes). */
  private pending = $state.raw<PendingTap[]>([]);
  /** The clock as last tapped, shown until the stored observation has caught up with it. */
  private tappedClock = $state.raw<{ clock: LessonClock; at: number } | undefined>();
  /** The current time, a second at a time while the session lives (the lesson clock on screen). */
  now = $state(0);
  /** The domain on screen. */
  domainId = $state<string | undefined>();

  private readonly record: NonNullable<CaptureSessionOptions['record']>;
  private readonly clockNow: () => number;
  private readonly showPendingAfterMs: number;
  private readonly stop: () => void;

  constructor(options: CaptureSessionOptions) {
    this.observationId = options.observationId;
    this.me = options.me;
    this.record = options.record ?? recordChange;
    this.clockNow = options.now ?? Date.now;
    this.showPendingAfterMs = options.showPendingAfterMs ?? 32;
    this.now = this.clockNow();
    const id = options.observationId;
    this.stop = $effect.root(() => {
      this.observation = new Live(() => getObservation(id));
      this.stored = new Live(() => listResponses(id));
      this.notes = new Live(() => listNotes(id));
      this.amendments = new Live(() => listAmendments(id));
      // Where the observer was: restored once, from the observation.
      $effect(() => {
        if (this.domainId === undefined && this.observation.current && this.instrument) {
          this.domainId = this.observation.current.position.domainId ?? this.instrument.domains[0]?.id;
        }
      });
      const ticker = setInterval(() => (this.now = this.clockNow()), 1000);
      return () => clearInterval(ticker);
    });
    void this.loadSetup();
  }

  private async loadSetup(): Promise<void> {
    this.setupError = undefined;
    this.setupLoaded = false;
    try {
      const found = await getObservation(this.observationId);
      if (found) {
        const [record, person] = await Promise.all([getInstalledInstrument(found.instrumentKey), getPerson(found.observedId)]);
        this.instrument = record?.content;
        this.observedName = person?.name ?? '';
      }
    } catch (error) {
      // A read that failed is shown as a failure with "try again", never as "not found".
      this.setupError = error;
    }
    this.setupLoaded = true;
  }

  /** A failed read of the observation or its setup (shown as an error with "try again"). */
  get loadError(): unknown {
    return this.setupError ?? this.observation.error;
  }

  get isLoading(): boolean {
    return !this.loadError && (this.observation.isLoading || !this.setupLoaded);
  }

  /** Reads again after a failure. */
  retry(): void {
    this.observation.retry();
    this.stored.retry();
    this.notes.retry();
    this.amendments.retry();
    void this.loadSetup();
  }

  destroy(): void {
    this.stop();
  }

  readonly completed = $derived(this.observation.current !== undefined && this.observation.current.status !== 'draft');

  /** The responses as the screen shows them: stored, with taps that are not stored yet laid over them. */
  readonly responses = $derived.by(() => {
    const map = new Map<string, ShownResponse>((this.stored.current ?? []).map((r) => [r.itemId, r]));
    for (const tap of this.pending) {
      const base = map.get(tap.itemId);
      if (caughtUp(tap, base)) continue;
      map.set(tap.itemId, { ...applyResponsePatch(base ?? { lookFors: [], updatedAt: 0 }, tap.patch), updatedAt: base?.updatedAt ?? 0, changedAt: base?.changedAt });
    }
    return map as ReadonlyMap<string, ShownResponse>;
  });

  /**
   * A tap or keystroke on an item. The write goes first and the screen follows the stored value: changing the item
   * in the same moment would make the browser paint before IndexedDB can answer, and the tap would wait a frame to
   * become durable. Resolves true once stored.
   */
  patch(itemId: string, change: ResponsePatch): Promise<boolean> {
    const at = this.clockNow();
    // Forget taps the store has caught up with, so the list stays short during a long lesson.
    const storedById = new Map((this.stored.current ?? []).map((r) => [r.itemId, r]));
    // Reassigned only when something was dropped: a new list re-derives every response on screen, work the tap's
    // frame would have to do before IndexedDB's answer is handled.
    const kept = this.pending.filter((tap) => !caughtUp(tap, storedById.get(tap.itemId)));
    if (kept.length !== this.pending.length) this.pending = kept;
    const tap: PendingTap = { itemId, patch: change, at };
    let shown = false;
    const show = () => {
      if (shown) return;
      shown = true;
      this.pending = [...this.pending, tap];
    };
    const slow = setTimeout(show, this.showPendingAfterMs);
    return this.record({ kind: 'response', observationId: this.observationId, itemId, patch: change }, this.me, at).then((committed) => {
      clearTimeout(slow);
      if (!committed) show();
      return committed;
    });
  }

  /** The lesson clock: the tapped state until the store has caught up with it. */
  readonly clock = $derived.by(() => {
    const stored = this.observation.current;
    if (!stored) return undefined;
    return this.tappedClock && (stored.changedAt?.clock ?? -Infinity) < this.tappedClock.at ? this.tappedClock.clock : stored.clock;
  });
  readonly running = $derived(this.clock?.runningSince !== undefined);
  readonly elapsed = $derived(this.clock ? elapsedMs(this.clock, this.now) : 0);

  /** Start or pause; shows at once and is journalled and written like any other change. */
  toggleClock(): Promise<boolean> | undefined {
    const clock = this.clock;
    if (!clock) return undefined;
    const at = this.clockNow();
    this.now = at;
    const next = this.running ? pauseClock(clock, at) : startClock(clock, at);
    this.tappedClock = { clock: next, at };
    return this.record({ kind: 'observation', observationId: this.observationId, change: { field: 'clock', clock: next } }, this.me, at);
  }

  readonly domainIndex = $derived(this.instrument?.domains.findIndex((d) => d.id === this.domainId) ?? -1);
  readonly domain = $derived<Domain | undefined>(this.instrument?.domains[this.domainIndex]);

  /** Shows another domain and remembers it, so the observer comes back where they were. */
  goToDomain(next: string): Promise<boolean> {
    this.domainId = next;
    return this.record({ kind: 'observation', observationId: this.observationId, change: { field: 'position', domainId: next } }, this.me, this.clockNow());
  }

  /**
   * Shows the domain an item sits in (also as a behaviour under an element) and remembers it; false for an item
   * the instrument does not have, which leaves the observer where they were.
   */
  showItem(itemId: string): boolean {
    const domain = this.instrument?.domains.find((d) => flattenItems(d.items).some((item) => item.id === itemId));
    if (!domain) return false;
    if (domain.id !== this.domainId) void this.goToDomain(domain.id);
    return true;
  }

  /** The lesson minute reached: progress follows it (snapshots count once reached), not every tick of the clock. */
  private readonly lessonMinute = $derived(Math.floor(this.elapsed / 60_000));
  readonly progress = $derived<ObservationProgress | undefined>(
    this.instrument ? observationProgress(this.instrument, this.responses, { elapsedMs: this.lessonMinute * 60_000 }) : undefined,
  );

  /** The snapshot item of a snapshot instrument, and the domain it sits in. */
  readonly snapshotItem = $derived(this.instrument ? allItems(this.instrument).find((item) => item.response.type === 'snapshot') : undefined);
  readonly snapshotDomain = $derived(
    this.snapshotItem ? this.instrument?.domains.find((d) => flattenItems(d.items).includes(this.snapshotItem!)) : undefined,
  );
  /** The lesson minute of the snapshot that is due and not yet complete (a field still empty), while observing. */
  readonly dueSnapshot = $derived.by(() => {
    const item = this.snapshotItem;
    if (!item || item.response.type !== 'snapshot' || this.completed) return undefined;
    const complete = snapshotsToFill(item.response, this.responses.get(item.id)?.snapshots).filter(isSnapshotComplete);
    return dueSnapshot(snapshotMinutes(item.response.schedule), this.elapsed, new Set(complete.map((s) => s.minute)));
  });
}
