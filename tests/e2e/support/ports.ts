/**
 * The ports the end-to-end tests use. `E2E_PORT` moves them all (two worktrees can run their suites side by side):
 * the app's server on E2E_PORT (default 4183), the update test's switchable server on E2E_UPDATES_PORT (default
 * E2E_PORT + 2).
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4183);
export const UPDATES_PORT = Number(process.env.E2E_UPDATES_PORT ?? E2E_PORT + 2);
