// ESLint over the whole tree: JavaScript's and TypeScript's recommended rules, Svelte's for components, and nothing
// about layout (Prettier formats; `npm run check` runs both). Import directions are checked by
// tests/unit/layers.test.ts, not here.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  {
    ignores: [
      'dist/',
      'dist-bench/',
      'dist-server/',
      'test-results/',
      'playwright-report/',
      'src/core/instrument/schema-validator.generated.ts',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } },
  },
  {
    rules: {
      // `_` names a value left out on purpose: a destructured field dropped from a copy, an unused callback argument.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // State is declared with $state; a Map or URLSearchParams built inside a computation is not state, and the
      // rule cannot tell the two apart.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    // TypeScript checks names (svelte-check), including the build's globals in src/env.d.ts.
    files: ['**/*.svelte'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['tests/**'],
    rules: {
      // The tests look for control characters and odd text on purpose: that is what a hostile file holds.
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
      // Playwright's fixtures take an object pattern even when a test uses none of them (`async ({}, testInfo)`).
      'no-empty-pattern': 'off',
    },
  },
);
