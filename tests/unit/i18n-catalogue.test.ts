import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nl } from '../../src/ui/i18n/messages-nl';
import { en } from '../../src/ui/i18n/messages-en';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogues', () => {
  it('have the same keys in Dutch and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
  });

  it('translates every key, with the same parameters in both languages', () => {
    const problems = Object.keys(nl).flatMap((key) => {
      const dutch: string = nl[key as keyof typeof nl];
      const english: string | undefined = en[key as keyof typeof en];
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
    const uiDir = path.resolve(__dirname, '../../src/ui');
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
});
