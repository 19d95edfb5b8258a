import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nl as coreNl } from '../../src/ui/i18n/messages-nl';
import { en as coreEn } from '../../src/ui/i18n/messages-en';
import { instrumentsNl } from '../../src/ui/i18n/sections/instruments-nl';
import { instrumentsEn } from '../../src/ui/i18n/sections/instruments-en';
import { schoolNl } from '../../src/ui/i18n/sections/school-nl';
import { schoolEn } from '../../src/ui/i18n/sections/school-en';
import { feedbackNl } from '../../src/ui/i18n/sections/feedback-nl';
import { feedbackEn } from '../../src/ui/i18n/sections/feedback-en';
import { wordsNotOurs } from './vocabulary';

/** Every part of the catalogue: the core texts and each section's. */
const PARTS: Record<string, { nl: Record<string, string>; en: Record<string, string> }> = {
  core: { nl: coreNl, en: coreEn },
  instruments: { nl: instrumentsNl, en: instrumentsEn },
  school: { nl: schoolNl, en: schoolEn },
  feedback: { nl: feedbackNl, en: feedbackEn },
};
const nl: Record<string, string> = Object.assign({}, ...Object.values(PARTS).map((part) => part.nl));
const en: Record<string, string> = Object.assign({}, ...Object.values(PARTS).map((part) => part.en));
const uiDir = path.resolve(__dirname, '../../src/ui');

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogues', () => {
  it('have the same keys in Dutch and English, in each part, and no key in two parts', () => {
    for (const part of Object.values(PARTS)) expect(Object.keys(part.en).sort()).toEqual(Object.keys(part.nl).sort());
    const all = Object.values(PARTS).flatMap((part) => Object.keys(part.nl));
    expect(new Set(all).size).toBe(all.length);
  });

  it('translates every key, with the same parameters in both languages', () => {
    const problems = Object.keys(nl).flatMap((key) => {
      const dutch = nl[key]!;
      const english = en[key];
      if (!dutch.trim()) return [`${key}: empty in Dutch`];
      if (!english?.trim()) return [`${key}: empty in English`];
      const [a, b] = [placeholders(dutch).join(', '), placeholders(english).join(', ')];
      return a === b ? [] : [`${key}: {${a}} in Dutch, {${b}} in English`];
    });
    expect(Object.keys(nl).length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('every plural key has its "other" form in both languages', () => {
    for (const key of Object.keys(nl).filter((k) => k.endsWith('.one'))) {
      const other = key.replace(/\.one$/, '.other');
      expect(Object.keys(nl)).toContain(other);
      expect(Object.keys(en)).toContain(other);
    }
  });

  it('has no key that the UI never uses', () => {
    const files = readdirSync(uiDir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.(svelte|ts)$/.test(f) && !f.includes('i18n'),
    );
    const source = files.map((f) => readFileSync(path.join(uiDir, f), 'utf8')).join('\n');
    // Keys built at run time (`kind.${kind}`, `answer.${answer}`, plural forms) are used through their prefix.
    const dynamicPrefixes = [...source.matchAll(/[`'](\w+(?:\.\w+)*)\.\$\{/g)].map((m) => `${m[1]}.`);
    const unused = Object.keys(nl).filter((key) => {
      const base = key.replace(/\.(one|other)$/, '');
      return (
        !source.includes(`'${key}'`) && !source.includes(`'${base}'`) && !dynamicPrefixes.some((p) => key.startsWith(p))
      );
    });
    expect(unused).toEqual([]);
  });

  it('gives every screen the sections whose texts it, or any file it reaches, uses', () => {
    const sectionOf = new Map<string, string>();
    for (const [name, part] of Object.entries(PARTS))
      if (name !== 'core') for (const key of Object.keys(part.nl)) sectionOf.set(key, name);
    const sectionPrefixes = [...sectionOf].map(([key, section]) => [key.slice(0, key.lastIndexOf('.') + 1), section]);
    /** The sections a file's texts come from: quoted keys, and keys built at run time from a section's prefix. */
    const sectionsUsed = (source: string) => {
      const used = new Set<string>();
      for (const [, key] of source.matchAll(/['"`]([\w-]+(?:\.[\w-]+)+)['"`]/g)) {
        const section = sectionOf.get(key!) ?? sectionOf.get(`${key}.other`);
        if (section) used.add(`${section} (${key})`);
      }
      for (const [, prefix] of source.matchAll(/`([\w-]+(?:\.[\w-]+)*\.)\$\{/g))
        for (const [keyPrefix, section] of sectionPrefixes)
          if (keyPrefix!.startsWith(prefix!)) used.add(`${section} (${prefix}…)`);
      return used;
    };
    /** The files of src/ui a file imports, statically or when it runs, one level at a time (the catalogue aside). */
    const reach = (file: string) => {
      const seen = new Set<string>();
      const visit = (current: string) => {
        if (seen.has(current)) return;
        seen.add(current);
        const source = readFileSync(current, 'utf8');
        for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
          const target = path.resolve(path.dirname(current), spec!);
          if (!target.startsWith(uiDir) || target.includes(`${path.sep}i18n${path.sep}`)) continue;
          // `./live.svelte` is live.svelte.ts, a rune module.
          visit(existsSync(target) ? target : `${target}.ts`);
        }
      };
      visit(file);
      return seen;
    };
    const app = readFileSync(path.join(uiDir, 'app.svelte'), 'utf8');
    const screens = [...app.matchAll(/\n\s+(\w+): (?:withTexts\(\s*'(\w+)',\s*)?\(\) => import\('([^']+)'\)/g)];
    expect(screens.length).toBeGreaterThan(20);
    const misplaced: string[] = [];
    const check = (name: string, entry: string, allowed: Set<string>, skip = new Set<string>()) => {
      for (const file of reach(entry)) {
        if (skip.has(file)) continue;
        for (const use of sectionsUsed(readFileSync(file, 'utf8')))
          if (!allowed.has(use.split(' ')[0]!)) misplaced.push(`${name}: ${path.relative(uiDir, file)} uses ${use}`);
      }
    };
    const screenFiles = new Set(screens.map(([, , , file]) => path.resolve(uiDir, file!)));
    for (const [, name, section, file] of screens)
      check(name!, path.resolve(uiDir, file!), new Set(section ? [section] : []));
    // The shell around the screens (app.svelte and what it reaches besides the screens) has only the core texts.
    const shell = reach(path.join(uiDir, 'app.svelte'));
    for (const file of shell)
      if (!screenFiles.has(file) && ![...screenFiles].some((screen) => reach(screen).has(file)))
        for (const use of sectionsUsed(readFileSync(file, 'utf8')))
          misplaced.push(`shell: ${path.relative(uiDir, file)} uses ${use}`);
    expect(misplaced).toEqual([]);
  });

  it('speaks one vocabulary in Dutch (the README lists it), without developer words', () => {
    const found = Object.entries(nl).flatMap(([key, text]) => wordsNotOurs(text).map((word) => `${key}: ${word}`));
    expect(found).toEqual([]);
  });
});
