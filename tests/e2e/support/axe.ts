import axe, { type Result, type RunOptions } from 'axe-core';
import type { Page } from '@playwright/test';

const WCAG_21 = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe over the whole page, in the page: axe is put into the document once (it stays there until the next page
 * load, across in-app navigations) and `axe.run` is called on the document. @axe-core/playwright's AxeBuilder
 * instead injects axe again on every call and finishes every run in a new blank page, which costs seconds a call on
 * a two-core machine for the same results (the app has no frames).
 */
async function violations(page: Page, tags: string[]): Promise<Result[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const options: RunOptions = {
    runOnly: { type: 'tag', values: tags },
    // Experimental in axe, so off by default: a control's accessible name must start with its visible text
    // (WCAG 2.5.3), or a voice user saying what they see cannot activate it.
    rules: { 'label-content-name-mismatch': { enabled: true } },
    // Only the violations come back in full: the passes would be thousands of nodes on a long screen.
    resultTypes: ['violations'],
  };
  return page.evaluate(
    async (options) => (await (window as unknown as { axe: typeof axe }).axe.run(document, options)).violations,
    options,
  );
}

/** One line per violation: the rule, what it asks, and where (an empty list passes). */
const lines = (found: Result[]) =>
  found.map((v) => `${v.id} (${v.impact}): ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);

/** The serious and critical axe violations of WCAG 2.1 A and AA and the best practices on the page. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const found = await violations(page, [...WCAG_21, 'best-practice']);
  return lines(found.filter((v) => v.impact === 'serious' || v.impact === 'critical'));
}

/** Every axe violation, of any impact, of WCAG 2.0, 2.1 and 2.2 A and AA and the best practices on the page. */
export async function allViolations(page: Page): Promise<string[]> {
  return lines(await violations(page, [...WCAG_21, 'wcag22aa', 'best-practice']));
}
