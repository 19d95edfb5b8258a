/** A self-assessment is offered for a lesson only when its answers can stand beside the observer's. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canSelfAssess } from '../../src/core/observation/form';
import type { Instrument } from '../../src/core/instrument';

const shipped = (name: string) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../instruments', `${name}.json`), 'utf8'),
  ) as Instrument;

describe('canSelfAssess', () => {
  const observation = shipped('lesobservatie');
  const cycles = shipped('interactie-cycli');
  const self = shipped('zelfevaluatie');

  it('offers it for an instrument a self-assessment is based on', () => {
    expect(self.basedOn?.id).toBe(observation.id);
    expect(canSelfAssess(observation, [observation, cycles, self])).toBe(true);
  });

  it('does not offer it when no self-assessment shares the instrument’s items', () => {
    expect(canSelfAssess(cycles, [observation, cycles, self])).toBe(false);
    expect(canSelfAssess(observation, [observation, cycles])).toBe(false);
  });

  it('offers it for an instrument with parts the teacher rates', () => {
    const withOwnPart = {
      ...cycles,
      domains: [...cycles.domains, { ...observation.domains[0]!, id: 'eigen', answeredBy: 'observed' as const }],
    };
    expect(canSelfAssess(withOwnPart, [])).toBe(true);
  });
});
