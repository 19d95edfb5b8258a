/**
 * How charts tell their series apart, for everyone: colours with at least 3:1 contrast against the white page (WCAG
 * 1.4.11), told apart with the common forms of colour blindness (Okabe & Ito's hues, darkened), and never by colour
 * alone: each line series has its own marker and dash, each bar segment of an ordinal scale its own step on one hue,
 * with white separators between neighbours.
 */

/** Series that are different things (domains, years, roles): one hue each. */
export const CATEGORICAL = ['#0072B2', '#B36B00', '#00805D', '#A8447E', '#6E6E2A', '#222222'] as const;

/** The lightest and darkest step of an ordinal scale (low → high): the app's own teal. */
const ORDINAL_LIGHT = [0x5f, 0x9e, 0xa4] as const;
const ORDINAL_DARK = [0x06, 0x2b, 0x2e] as const;

/** `count` steps from light (the scale's low end) to dark (its high end), evenly apart. */
export function ordinalColors(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const share = count === 1 ? 1 : i / (count - 1);
    const channels = ORDINAL_LIGHT.map((light, c) => Math.round(light + (ORDINAL_DARK[c]! - light) * share));
    return `#${channels.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  });
}

/** Markers for line and radar series, in series order (Chart.js point styles). */
export const MARKERS = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star'] as const;
/** Dash patterns for line series, in series order (a dashed series of its own, such as last year, keeps its own). */
export const DASHES: ReadonlyArray<readonly number[]> = [[], [8, 4], [2, 3], [12, 3, 3, 3], [4, 4], [1, 2]];

/** Axis and legend text: dark enough to read on white at small sizes (11:1). */
export const TEXT = '#3a3a3a';

/** WCAG's contrast ratio between two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(bl!);
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high! + 0.05) / (low! + 0.05);
}
