import { describe, expect, it } from 'vitest';
import { distinctName } from '../../src/core/model/names';

describe('the name a shared tablet shows', () => {
  it('is the first name when no colleague shares it', () => {
    expect(distinctName('Emre de Vries', ['Sanne Bakker', 'Jeroen Smit'])).toBe('Emre');
    expect(distinctName('Emre de Vries', [])).toBe('Emre');
  });

  it('adds the initial of the last name when a colleague shares the first name, as a person reads it', () => {
    expect(distinctName('Emre de Vries', ['Emre Bakker', 'Sanne Bakker'])).toBe('Emre V.');
    expect(distinctName('Emre Bakker', ['Emre de Vries'])).toBe('Emre B.');
    // Case and accents do not tell two names apart on a header.
    expect(distinctName('Zoë Jansen', ['zoe Smit'])).toBe('Zoë J.');
    expect(distinctName('Emre de Vries', ['EMRE Bakker'])).toBe('Emre V.');
  });

  it('is the whole name when the initial is shared too, or the colleague has only the first name', () => {
    expect(distinctName('Emre de Vries', ['Emre Visser', 'Emre Bakker'])).toBe('Emre de Vries');
    expect(distinctName('Emre de Vries', ['emre'])).toBe('Emre V.');
    expect(distinctName('Emre', ['Emre Bakker'])).toBe('Emre');
  });

  it('keeps odd spacing out of what it shows', () => {
    expect(distinctName('  Emre   de  Vries ', ['Emre Bakker'])).toBe('Emre V.');
  });
});
