/**
 * One observer recording one lesson: the state behind the capture screen, without the screen.
 *
 * It owns the most delicate part of the app:
 * - **taps** are journalled and written at once (`record`); the screen follows the stored value. A tap shows on its
 *   own only when its write is slow or failed, and stays on screen until the store holds it or something newer
 *   (latest wins, per field, by the moment of the change);
 * - **the lesson clock**: what is stored is its state at each start and pause; a tap on start or pause shows at once;
 *   the first answer or note starts it when the observer has not;
 * - **the position**: the domain on screen, restored from the observation and remembered on every change (also when
 *   the screen opens on one item, `showItem`), and in a repeated section the repetition on screen;
 * - **repetitions** of repeated sections (format 2): starting one records its start on the lesson clock; each
 *   repetition's answers are responses of their own (keyed `item#2`);
 * - **the form**: the part of the instrument this observation's respondent answers (`formFor`), and the rules'
 *   outcome for what is on screen (hidden, not applicable, required);
 * - **the due snapshot** of a snapshot instrument.
 *
 * Create it while a component initialises (or inside `$effect.root` in a test) and call `destroy()` when done.
 */
import { Live } from '../../shared/live.svelte';
import { getObservation } from '../../../data/records/observations';
import { getInstalledInstrument } from '../../../data/records/instruments';
import { listResponses } from '../../../data/records/responses';
import { listNotes } from '../../../data/records/notes';
import { listAmendments } from '../../../data/records/amendments';
import { getPerson } from '../../../data/records/people';
import type { DurableChange } from '../../../data/records/page-writes';
import { allItems, flattenItems, repeatKey, type Domain, type Instrument, type Item } from '../../../core/instrument';
import { scoreObservation, type ScoreSheet } from '../../../core/instrument/scoring';
import { elapsedMs, pauseClock, startClock } from '../../../core/observation/clock';
import {
  observationProgress,
  responsesOfCycle,
  type ObservationProgress,
  type ResponseContent,
} from '../../../core/observation/progress';
import { applyResponsePatch, patchField, type ResponsePatch } from '../../../core/observation/response-patch';
import {
  dueSnapshot,
  isSnapshotComplete,
  snapshotMinutes,
  snapshotSpan,
  snapshotsToFill,
} from '../../../core/observation/snapshots';
import { ruleOutcome, rulesReadScores, type RuleOutcome } from '../../../core/observation/rules';
import {
  cycleBounds,
  cycleCounts,
  cycleStartsMs,
  cyclesAskedFor,
  lessonMinutesOf,
  startCycle,
} from '../../../core/observation/cycles';
import { formFor } from '../../../core/observation/form';
import {
  parseResponseKey,
  responseKey,
  type Amendment,
  type CycleMark,
  type ItemResponse,
  type LessonClock,
  type Note,
  type Observation,
  type Person,
  type Uuid,
} from '../../../core/model/records';
import type { Actor } from '../../../core/model/lifecycle';
import { recordChange } from './actions';

/** What the screen shows for an item: the stored response, or a tap that is not stored yet laid over it. */
type ShownResponse = ResponseContent &
  Pick<ItemResponse, 'updatedAt' | 'changedAt'> &
  Partial<Pick<ItemResponse, 'evidence'>>;

interface PendingTap {
  itemId: string;
  cycle?: number;
  /** `responseKey(itemId, cycle)`. */
  key: string;
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
  /** The part of the instrument this observation's respondent answers (the observer, or the teacher in a self-assessment). */
  form = $state.raw<Instrument | undefined>();
  observedName = $state('');
  private setupLoaded = $state(false);
  private setupError = $state.raw<unknown>();

  /** Taps shown before they are stored (slow or failed writes). */
  private pending = $state.raw<PendingTap[]>([]);
  /** The clock as last tapped, shown until the stored observation has caught up with it. */
  private tappedClock = $state.raw<{ clock: LessonClock; at: number } | undefined>();
  /** The repetitions as last started, shown until the stored observation has caught up. */
  private tappedCycles = $state.raw<{ cycles: Record<string, CycleMark[]>; at: number } | undefined>();
  /** The repetition on screen per repeated domain, as chosen during this session. */
  private chosenCycle = $state.raw<Readonly<Record<string, number>>>({});
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
        if (this.domainId === undefined && this.observation.current && this.form) {
          const stored = this.observation.current.position.domainId;
          this.domainId = this.form.domains.some((d) => d.id === stored) ? stored : this.form.domains[0]?.id;
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
        const [record, person] = await Promise.all([
          getInstalledInstrument(found.instrumentKey),
          getPerson(found.observedId),
        ]);
        this.instrument = record?.content;
        this.form = record ? formFor(record.content, found.purpose) : undefined;
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

  /**
   * The responses as the screen shows them, by `responseKey` (`item`, or `item#2` in a repeated section's second
   * repetition): stored, with taps that are not stored yet laid over them.
   */
  readonly responses = $derived.by(() => {
    const map = new Map<string, ShownResponse>(
      (this.stored.current ?? []).map((r) => [responseKey(r.itemId, r.cycle), r]),
    );
    for (const tap of this.pending) {
      const base = map.get(tap.key);
      if (caughtUp(tap, base)) continue;
      map.set(tap.key, {
        ...applyResponsePatch(base ?? { lookFors: [], updatedAt: 0 }, tap.patch),
        updatedAt: base?.updatedAt ?? 0,
        changedAt: base?.changedAt,
      });
    }
    return map as ReadonlyMap<string, ShownResponse>;
  });

  /**
   * A tap or keystroke on an item. The write goes first and the screen follows the stored value: changing the item
   * in the same moment would make the browser paint before IndexedDB can answer, and the tap would wait a frame to
   * become durable. `cycle`: the repetition of a repeated section. Resolves true once stored.
   */
  patch(itemId: string, change: ResponsePatch, cycle?: number): Promise<boolean> {
    this.startClockIfIdle();
    const at = this.clockNow();
    // Forget taps the store has caught up with, so the list stays short during a long lesson (only while some wait:
    // a tap with none pending does no work here).
    if (this.pending.length > 0) {
      const storedByKey = new Map((this.stored.current ?? []).map((r) => [responseKey(r.itemId, r.cycle), r]));
      // Reassigned only when something was dropped: a new list re-derives every response on screen, work the tap's
      // frame would have to do before IndexedDB's answer is handled.
      const kept = this.pending.filter((tap) => !caughtUp(tap, storedByKey.get(tap.key)));
      if (kept.length !== this.pending.length) this.pending = kept;
    }
    const tap: PendingTap = {
      itemId,
      ...(cycle !== undefined ? { cycle } : {}),
      key: responseKey(itemId, cycle),
      patch: change,
      at,
    };
    let shown = false;
    const show = () => {
      if (shown) return;
      shown = true;
      this.pending = [...this.pending, tap];
    };
    const slow = setTimeout(show, this.showPendingAfterMs);
    const write = {
      kind: 'response' as const,
      observationId: this.observationId,
      itemId,
      ...(cycle !== undefined ? { cycle } : {}),
      patch: change,
    };
    return this.record(write, this.me, at).then((committed) => {
      clearTimeout(slow);
      if (!committed) show();
      return committed;
    });
  }

  /** The lesson clock: the tapped state until the store has caught up with it. */
  readonly clock = $derived.by(() => {
    const stored = this.observation.current;
    if (!stored) return undefined;
    return this.tappedClock && (stored.changedAt?.clock ?? -Infinity) < this.tappedClock.at
      ? this.tappedClock.clock
      : stored.clock;
  });
  readonly running = $derived(this.clock?.runningSince !== undefined);
  readonly elapsed = $derived(this.clock ? elapsedMs(this.clock, this.now) : 0);

  /**
   * Starts the lesson clock with the first answer or note of a lesson whose clock never ran, so that no note, repetition
   * or report says 00:00 for a lesson that happened; the observer can still pause it, or have started it earlier.
   * Never in a completed observation: changing it afterwards is not the lesson.
   */
  startClockIfIdle(): void {
    const clock = this.clock;
    if (!clock || this.completed || this.running || clock.elapsedMs > 0) return;
    void this.toggleClock();
  }

  /** Start or pause; shows at once and is journalled and written like any other change. */
  toggleClock(): Promise<boolean> | undefined {
    const clock = this.clock;
    if (!clock) return undefined;
    const at = this.clockNow();
    this.now = at;
    const next = this.running ? pauseClock(clock, at) : startClock(clock, at);
    this.tappedClock = { clock: next, at };
    return this.record(
      { kind: 'observation', observationId: this.observationId, change: { field: 'clock', clock: next } },
      this.me,
      at,
    );
  }

  readonly domainIndex = $derived(this.form?.domains.findIndex((d) => d.id === this.domainId) ?? -1);
  readonly domain = $derived<Domain | undefined>(this.form?.domains[this.domainIndex]);

  /**
   * The repetitions started per repetition group (`repeatKey`: sections repeated together share them), with their
   * starts: the tapped state until the store has caught up.
   */
  readonly cycles = $derived.by((): Readonly<Record<string, readonly CycleMark[]>> => {
    const stored = this.observation.current;
    // Equal times: the tap wins (two starts within one millisecond; the store holds the first or the same).
    if (this.tappedCycles && (stored?.changedAt?.cycles ?? -Infinity) <= this.tappedCycles.at)
      return this.tappedCycles.cycles;
    return stored?.cycles ?? {};
  });

  /**
   * The repetition on screen in a repeated domain: the one chosen in this session, else the stored position's, else
   * the latest started; undefined when the domain is not repeated or none has been started yet.
   */
  cycleOf(domainId: string | undefined): number | undefined {
    const domain = this.form?.domains.find((d) => d.id === domainId);
    if (!domain?.repeat) return undefined;
    const key = repeatKey(domain);
    const started = this.cycles[key]?.length ?? 0;
    if (started === 0) return undefined;
    const position = this.observation.current?.position;
    const shownThere = this.form?.domains.find((d) => d.id === position?.domainId);
    const wanted =
      this.chosenCycle[key] ?? (shownThere && repeatKey(shownThere) === key ? position?.cycle : undefined) ?? started;
    return Math.min(Math.max(1, wanted), started);
  }

  /** The repetition on screen in the domain on screen. */
  readonly cycle = $derived(this.cycleOf(this.domainId));

  /**
   * Shows another domain (in a repeated one, the repetition `cycle` or the one last shown, also in a section
   * repeated with it) and remembers it.
   */
  goToDomain(next: string, cycle?: number): Promise<boolean> {
    this.domainId = next;
    const domain = this.form?.domains.find((d) => d.id === next);
    if (cycle !== undefined && domain) this.chosenCycle = { ...this.chosenCycle, [repeatKey(domain)]: cycle };
    const shown = this.cycleOf(next);
    return this.record(
      {
        kind: 'observation',
        observationId: this.observationId,
        change: { field: 'position', domainId: next, ...(shown !== undefined ? { cycle: shown } : {}) },
      },
      this.me,
      this.clockNow(),
    );
  }

  /** Shows another repetition of the domain on screen and remembers it. */
  goToCycle(cycle: number): Promise<boolean> | undefined {
    if (!this.domainId) return undefined;
    return this.goToDomain(this.domainId, cycle);
  }

  /**
   * Starts the next repetition of the domain on screen at the lesson clock's time, and shows it; nothing when the
   * domain is not repeated or has its maximum already.
   */
  startCycle(): Promise<boolean> | undefined {
    const domain = this.domain;
    if (!domain?.repeat || !this.canStartCycle) return undefined;
    const at = this.clockNow();
    this.now = at;
    const cycles = startCycle(this.cycles, domain, this.elapsed);
    this.tappedCycles = { cycles, at };
    const started = this.record(
      { kind: 'observation', observationId: this.observationId, change: { field: 'cycles', cycles } },
      this.me,
      at,
    );
    void this.goToDomain(domain.id, cycles[repeatKey(domain)]!.length);
    return started;
  }

  /** Whether the domain on screen may have another repetition (a repeated section below its maximum). */
  readonly canStartCycle = $derived(
    !!this.domain?.repeat && (this.cycles[repeatKey(this.domain)]?.length ?? 0) < cycleBounds(this.domain).max,
  );

  /**
   * Shows the domain an item sits in (also as a behaviour under an element) and remembers it; false for an item
   * the form does not have, which leaves the observer where they were. `key` is a `responseKey`: `item#2` shows the
   * second repetition.
   */
  showItem(key: string): boolean {
    const { itemId, cycle } = parseResponseKey(key);
    const domain = this.form?.domains.find((d) => flattenItems(d.items).some((item) => item.id === itemId));
    if (!domain) return false;
    if (domain.id !== this.domainId || (cycle !== undefined && cycle !== this.cycleOf(domain.id)))
      void this.goToDomain(domain.id, cycle);
    return true;
  }

  /** Every item of the form by id (rules read them). */
  readonly items = $derived(new Map<string, Item>(this.form ? allItems(this.form).map((item) => [item.id, item]) : []));

  /** The lesson's length, for snapshots at equal parts (the observation's answer, else the instrument's). */
  readonly lessonMinutes = $derived(
    this.instrument ? lessonMinutesOf(this.instrument, this.observation.current) : undefined,
  );

  /** Repetitions progress asks for per repeated domain: those started, at least the minimum. */
  private readonly cyclesAsked = $derived(this.form ? cyclesAskedFor(this.form, { cycles: this.cycles }) : {});

  /**
   * What the rules do on screen: for the domain on screen in its repetition (rules read that repetition's answers
   * with those outside repeated sections).
   */
  readonly outcome = $derived.by((): RuleOutcome | undefined => {
    if (!this.form) return undefined;
    const view = this.domain?.repeat ? responsesOfCycle(this.responses, this.items, this.cycle ?? 1) : this.responses;
    return ruleOutcome(this.form, this.items, view, this.readsScores ? this.scores : undefined);
  });

  /** Whether the form has score items (format 2): only then is anything scored while observing. */
  private readonly hasScoreItems = $derived([...this.items.values()].some((item) => item.response.type === 'score'));
  /** Whether a rule reads a score (format 3): then the scores decide what is asked, too. */
  private readonly readsScores = $derived(this.form ? rulesReadScores(this.form) : false);

  /**
   * The scores as they stand (format 2), for score items shown live. Only computed while a score item is on
   * screen (a derived value nobody reads is never computed), so a tap elsewhere costs nothing.
   */
  readonly scores = $derived.by((): ScoreSheet | undefined => {
    if (!this.form || (!this.hasScoreItems && !this.readsScores)) return undefined;
    return scoreObservation(this.form, this.responses, {
      cycles: cycleCounts({ cycles: this.cycles }) ?? {},
      context: this.observation.current?.context,
    });
  });

  /**
   * A score item's value as worked out now, in this repetition (undefined: nothing to score yet). For a score the
   * observer may set otherwise (format 3), the level worked out: the level they chose shows in its own buttons.
   */
  scoreValue(item: Item, cycle?: number): number | undefined {
    if (item.response.type !== 'score' || !this.form) return undefined;
    const sheet = this.scores;
    if (cycle === undefined) return sheet?.derived.get(item.id) ?? sheet?.items.get(item.id);
    const domain = this.form.domains.find((d) => flattenItems(d.items).includes(item));
    const scored = domain ? sheet?.perCycle.get(domain.id)?.[cycle - 1] : undefined;
    return scored?.derived.get(item.id) ?? scored?.items.get(item.id);
  }

  /** The lesson minute reached: progress follows it (snapshots count once reached), not every tick of the clock. */
  private readonly lessonMinute = $derived(Math.floor(this.elapsed / 60_000));
  /** Per repetition group, each repetition's start on the lesson clock (snapshots inside count from it). */
  private readonly cycleStarts = $derived(cycleStartsMs({ cycles: this.cycles }));
  readonly progress = $derived<ObservationProgress | undefined>(
    this.form
      ? observationProgress(this.form, this.responses, {
          elapsedMs: this.lessonMinute * 60_000,
          lessonMinutes: this.lessonMinutes,
          cycles: this.cyclesAsked,
          cycleStartsMs: this.cycleStarts,
          ...(this.readsScores && this.scores && { scores: this.scores }),
        })
      : undefined,
  );

  /**
   * The lesson time as a repetition's snapshots count it: from the repetition's start (in a repeated section; 0
   * before it started), else the lesson clock.
   */
  elapsedIn(domain: Domain | undefined, cycle: number | undefined): number {
    if (!domain?.repeat) return this.elapsed;
    const start = cycle !== undefined ? this.cycles[repeatKey(domain)]?.[cycle - 1]?.startedMs : undefined;
    return start === undefined ? 0 : Math.max(0, this.elapsed - start);
  }

  /** The snapshot item of a snapshot instrument, and the domain it sits in. */
  readonly snapshotItem = $derived(
    this.form ? allItems(this.form).find((item) => item.response.type === 'snapshot') : undefined,
  );
  readonly snapshotDomain = $derived(
    this.snapshotItem ? this.form?.domains.find((d) => flattenItems(d.items).includes(this.snapshotItem!)) : undefined,
  );
  /** In a repeated section, the repetition whose snapshots are due: the latest started (the one under way). */
  readonly snapshotCycle = $derived(
    this.snapshotDomain?.repeat ? this.cycles[repeatKey(this.snapshotDomain)]?.length || undefined : undefined,
  );
  /** The minute of the snapshot that is due and not yet complete (a field still empty), while observing. */
  readonly dueSnapshot = $derived.by(() => {
    const item = this.snapshotItem;
    if (!item || item.response.type !== 'snapshot' || this.completed) return undefined;
    if (this.snapshotDomain?.repeat && this.snapshotCycle === undefined) return undefined;
    const snapshots = this.responses.get(responseKey(item.id, this.snapshotCycle))?.snapshots;
    const span = snapshotSpan(this.snapshotDomain, this.lessonMinutes);
    const complete = snapshotsToFill(item.response, snapshots, undefined, span).filter(isSnapshotComplete);
    const elapsed = this.elapsedIn(this.snapshotDomain, this.snapshotCycle);
    return dueSnapshot(snapshotMinutes(item.response.schedule, span), elapsed, new Set(complete.map((s) => s.minute)));
  });
}
