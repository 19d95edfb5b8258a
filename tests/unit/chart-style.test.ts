import { describe, expect, it } from 'vitest';
import { CATEGORICAL, DASHES, MARKERS, TEXT, contrast, ordinalColors } from '../../src/ui/shared/chart-style';

const WHITE = '#ffffff';
const luminanceOrder = (colours: string[]) => colours.map((c) => contrast(c, WHITE));

describe('chart colours, markers and text', () => {
  it('computes WCAG contrast as the spec defines it', () => {
    expect(contrast('#000000', WHITE)).toBeCloseTo(21, 5);
    expect(contrast(WHITE, WHITE)).toBe(1);
    expect(contrast('#767676', WHITE)).toBeCloseTo(4.54, 2);
  });

  it('draws every categorical series with at least 3:1 against the page, each colour different', () => {
    for (const colour of CATEGORICAL) expect(contrast(colour, WHITE), colour).toBeGreaterThanOrEqual(3);
    expect(new Set(CATEGORICAL).size).toBe(CATEGORICAL.length);
  });

  it('draws an ordinal scale on one hue, light to dark, every step at least 3:1 against the page', () => {
    for (const count of [1, 2, 3, 4, 5, 7, 10]) {
      const steps = ordinalColors(count);
      expect(steps).toHaveLength(count);
      const contrasts = luminanceOrder(steps);
      for (const [i, c] of contrasts.entries()) {
        expect(c, steps[i]).toBeGreaterThanOrEqual(3);
        if (i > 0) expect(c, `${steps[i - 1]} then ${steps[i]}`).toBeGreaterThan(contrasts[i - 1]!);
      }
    }
  });

  it('gives line series a marker and a dash of their own, besides the colour', () => {
    expect(new Set(MARKERS).size).toBe(MARKERS.length);
    expect(new Set(DASHES.map((d) => d.join(','))).size).toBe(DASHES.length);
    expect(MARKERS.length).toBeGreaterThanOrEqual(CATEGORICAL.length);
  });

  it('writes axis and legend text with at least 4.5:1', () => {
    expect(contrast(TEXT, WHITE)).toBeGreaterThanOrEqual(4.5);
  });
});
