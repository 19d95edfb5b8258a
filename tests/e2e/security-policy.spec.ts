import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startWithDemoSchool } from './pages/school';

const fixture = (...parts: string[]) =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures', ...parts);

// The policy must let the service worker register.
test.use({ serviceWorkers: 'allow' });

/**
 * The school server sends a Content-Security-Policy (src/server/http/security.ts). The app must work under it:
 * charts, the service worker, the Rasch worker and the instrument validator, with no violation reported.
 */
test('the app runs under the server’s content security policy', async ({ page }) => {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      void (window as unknown as { reportViolation(text: string): Promise<void> }).reportViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");

  await startWithDemoSchool(page);
  await page.goto('/me');
  await expect(page.locator('canvas').first()).toBeVisible();
  await page.goto('/check-instrument');
  await page.getByLabel('Kies een bestand').setInputFiles(fixture('broken', 'missing-version-and-duplicate.json'));
  await expect(page.getByRole('alert')).toContainText('Er zijn 2 problemen gevonden');
  await expect.poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration()))).toBe(true);
  expect(violations).toEqual([]);
});
