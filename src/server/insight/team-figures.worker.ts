/**
 * A team-figures worker (a `node:worker_threads` thread of the server; worker-pool.ts starts it). It keeps a copy of
 * each school the main thread reads into it (the rows as the database gave them, parsed here), and computes the
 * figures from it with the core (team-insight.ts: `leaderView`, the Rasch estimation, their privacy rules), off the
 * main thread: a board's 50,000 observations take about a second to estimate, and nothing else of the server waits.
 *
 * Per school it keeps the parsed rows, and for the copy as it is now the rows the core takes, the Rasch estimate per
 * instrument (which no team or year changes) and the years with data per instrument and team (`TeamMemo`). The copy's `stamp` counts up whenever a change reaches the
 * figures' inputs; rows read again exactly as they were (a draft's rating, a note, feedback: the observation's
 * summary is the same) change nothing, so the main thread's cached figures stay valid.
 *
 * Every task is answered (worker-messages.ts); an error in one is its answer, and the worker goes on.
 */
import { parentPort } from 'node:worker_threads';
import { isCurrent } from '../../core/insight/summary';
import {
  newTeamMemo,
  teamData,
  teamInsight,
  type FrameRecord,
  type SummarisedObservation,
  type TeamData,
  type TeamMemo,
} from './team-insight';
import type { Applied, Compute, Computed, Rows, TaskMessage, TaskReply, WorkerRequest } from './worker-messages';

interface SchoolCopy {
  summarised: Map<string, SummarisedObservation>;
  /** By kind and id. */
  frame: Map<string, FrameRecord>;
  stamp: number;
  /** What the copy at `stamp` gives the core, and what its selections share, kept until the copy changes. */
  derived?: { stamp: number; data: TeamData; memo: TeamMemo };
}

const schools = new Map<string, SchoolCopy>();
/** One counter for every copy, so a school read anew never has a stamp its earlier copy had. */
let stamps = 0;

function applyRows(message: Rows): Applied {
  let copy = schools.get(message.schoolId);
  if (message.fresh || !copy) {
    copy = { summarised: new Map(), frame: new Map(), stamp: ++stamps };
    schools.set(message.schoolId, copy);
  }
  let changed = false;
  const stale: string[] = [];
  for (const [id, observationText, summaryText] of message.observations) {
    const next = {
      observation: JSON.parse(observationText) as SummarisedObservation['observation'],
      summary: JSON.parse(summaryText) as SummarisedObservation['summary'],
    };
    if (!isCurrent(next.summary)) stale.push(id);
    const before = copy.summarised.get(id);
    if (before && sameJson(before.observation, next.observation) && sameJson(before.summary, next.summary)) continue;
    copy.summarised.set(id, next);
    changed = true;
  }
  for (const id of message.absent) if (copy.summarised.delete(id)) changed = true;
  for (const [kind, id, text] of message.frame) {
    const record = { kind, data: JSON.parse(text) as unknown } as FrameRecord;
    const key = `${kind}\n${id}`;
    const before = copy.frame.get(key);
    if (before && sameJson(before.data, record.data)) continue;
    copy.frame.set(key, record);
    changed = true;
  }
  if (changed) copy.stamp = ++stamps;
  return { stamp: copy.stamp, observations: copy.summarised.size, stale };
}

/** Both parsed from the database's JSON text, whose key order is its own and fixed (jsonb). */
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function compute({ schoolId, request }: Compute): Computed {
  const copy = schools.get(schoolId);
  if (!copy) throw new Error(`This worker holds no copy of school ${schoolId}.`);
  if (copy.derived?.stamp !== copy.stamp)
    copy.derived = {
      stamp: copy.stamp,
      data: teamData(copy.summarised.values(), copy.frame.values()),
      memo: newTeamMemo(),
    };
  const { data, memo } = copy.derived;
  return { stamp: copy.stamp, json: JSON.stringify(teamInsight(data, request, memo)) };
}

function handle(body: WorkerRequest): unknown {
  switch (body.type) {
    case 'rows':
      return applyRows(body);
    case 'compute':
      return compute(body);
    case 'drop':
      return schools.delete(body.schoolId);
    default:
      throw new Error(`Unknown task ${JSON.stringify((body as { type?: unknown }).type)}.`);
  }
}

const port = parentPort;
if (!port) throw new Error('team-figures.worker.ts runs as a worker thread (src/server/insight/worker-pool.ts).');
port.on('message', ({ task, body }: TaskMessage) => {
  let reply: TaskReply;
  try {
    reply = { task, ok: true, value: handle(body) };
  } catch (error) {
    reply = { task, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
