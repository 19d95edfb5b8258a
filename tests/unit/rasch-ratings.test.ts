/**
 * The Rasch estimation from compact arrays (`RaschRatings`, what the app's worker receives) against the same lessons
 * as objects: the same counts, so the same estimate to the last bit, with lessons left out, unknown items and
 * levels out of range ignored alike.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/demo/random';
import { estimateRasch, type RaschObservation, type RaschRatings } from '../../src/core/statistics/rasch';
import { simulateSchool } from '../factories/rasch-simulation';

/** The lessons as compact arrays, in a shuffled order; `leftOut` lessons are marked with a negative person. */
function compact(observations: RaschObservation[], itemIds: string[], leftOut: Set<number>): RaschRatings {
  const personIds = [...new Set(observations.map((o) => o.personId))].reverse();
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]));
  const ratings = observations.flatMap((o) => o.responses);
  const ratingStart = new Int32Array(observations.length + 1);
  observations.forEach((o, l) => (ratingStart[l + 1] = ratingStart[l]! + o.responses.length));
  return {
    personIds,
    person: Int32Array.from(observations, (o, l) => (leftOut.has(l) ? -1 : personIds.indexOf(o.personId))),
    ratingStart,
    // An item this estimation does not know gets an index past the last item.
    item: Uint16Array.from(ratings, (r) => itemIndex.get(r.itemId) ?? itemIds.length + 3),
    level: Uint8Array.from(ratings, (r) => r.level),
  };
}

describe('Rasch estimation from compact arrays', () => {
  it.each([3, 11, 2024])('gives the estimate of the same lessons as objects (seed %i)', (seed) => {
    const school = simulateSchool({
      seed,
      persons: 60,
      items: 12,
      levels: 4,
      lessons: { min: 1, max: 4 },
      missing: 0.3,
    });
    const random = createRandom(seed);
    // Interleave the teachers' lessons, and add ratings the estimation must ignore.
    const observations = school.observations
      .map((o) => ({ o, order: random.next() }))
      .sort((a, b) => a.order - b.order)
      .map(({ o }, l) => ({
        personId: o.personId,
        responses: [
          ...o.responses,
          ...(l % 7 === 0 ? [{ itemId: 'not-an-item', level: 1 }] : []),
          ...(l % 5 === 0 ? [{ itemId: school.items[0]!.itemId, level: 4 }] : []),
        ],
      }));
    const leftOut = new Set(observations.flatMap((_, l) => (random.chance(0.1) ? [l] : [])));
    const itemIds = school.items.map((item) => item.itemId);

    const fromArrays = estimateRasch(compact(observations, itemIds, leftOut), school.items);
    const fromObjects = estimateRasch(
      observations.filter((_, l) => !leftOut.has(l)),
      school.items,
    );

    expect(fromArrays.persons.length).toBeGreaterThan(40);
    expect(fromArrays.ignoredResponses).toBeGreaterThan(0);
    expect(fromArrays).toEqual(fromObjects);
  });

  it('counts levels outside the scale, and leaves out lessons of a teacher index outside the list', () => {
    const school = simulateSchool({
      seed: 9,
      persons: 30,
      items: 6,
      levels: 3,
      lessons: { min: 2, max: 2 },
      missing: 0,
    });
    const itemIds = school.items.map((item) => item.itemId);
    const ratings = compact(school.observations, itemIds, new Set());
    const clean = estimateRasch(ratings, school.items);
    // Levels 3, 7 and 255 on a 0 … 2 scale; the second lesson's teacher is not in the list.
    const level = ratings.level.slice();
    level[0] = 3;
    level[1] = 7;
    level[2] = 255;
    const person = ratings.person.slice();
    person[1] = ratings.personIds.length + 5;
    const lessonTwo = ratings.ratingStart[2]! - ratings.ratingStart[1]!;
    const result = estimateRasch({ ...ratings, level, person }, school.items);
    expect(result.outOfScaleLevels).toBe(3);
    expect(result.ignoredResponses).toBe(3 + lessonTwo);
    expect(clean.outOfScaleLevels).toBe(0);
    expect(result.persons.reduce((sum, p) => sum + p.responses, 0)).toBe(
      clean.persons.reduce((sum, p) => sum + p.responses, 0) - 3 - lessonTwo,
    );
  });

  it('leaves out a teacher whose every lesson is left out', () => {
    const school = simulateSchool({
      seed: 5,
      persons: 20,
      items: 6,
      levels: 2,
      lessons: { min: 1, max: 2 },
      missing: 0,
    });
    const first = school.observations[0]!.personId;
    const leftOut = new Set(school.observations.flatMap((o, l) => (o.personId === first ? [l] : [])));
    const itemIds = school.items.map((item) => item.itemId);

    const estimate = estimateRasch(compact(school.observations, itemIds, leftOut), school.items);

    expect(estimate.persons.map((p) => p.personId)).not.toContain(first);
    expect(estimate.persons).toHaveLength(19);
  });
});
