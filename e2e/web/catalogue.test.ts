import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorMessages } from '../../src-shared/errors.ts';
import { en } from '../../src-renderer/i18n/en.ts';
import { paramsOf } from '../../src-renderer/i18n/error-params.ts';
import { hi } from '../../src-renderer/i18n/hi.ts';
import { exportFormats } from '../../src-shared/export-formats.ts';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const english = leaves(en as unknown as Tree);
  const hindi = leaves(hi as unknown as Tree);

  it('repeats every sentence of the station error catalogue word for word', () => {
    for (const [code, sentence] of Object.entries(errorMessages)) {
      expect(english.get(`errors.${code}`), `src-renderer/i18n/en.ts errors.${code}`).toBe(sentence);
    }
  });

  it('has a Hindi string with the same placeholders for every English one', () => {
    for (const [key, text] of english) {
      const translated = hindi.get(key);
      expect(translated, `src-renderer/i18n/hi.ts is missing ${key}`).toBeTruthy();
      expect(placeholders(translated!), `placeholders of ${key}`).toEqual(placeholders(text));
    }
    expect([...hindi.keys()].filter((key) => !english.has(key))).toEqual([]);
  });

  it('reads the values back out of an English error so the Hindi one can show them', () => {
    expect(paramsOf('parent_full', 'Parent SB00001 is full (30 bags): scan a new parent bag.')).toEqual({
      parent: 'SB00001',
      capacity: '30',
    });
    expect(paramsOf('parent_full', 'something else')).toBeNull();
  });

  /** Every .tsx/.ts file of the screens, with its text. */
  const sources = (() => {
    const root = fileURLToPath(new URL('../../src-renderer/', import.meta.url));
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    return walk(root)
      .filter((f) => !f.includes('/i18n/'))
      .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  })();

  it('has every key the screens render, in English and so in Hindi', () => {
    const missing: string[] = [];
    for (const { file, text } of sources) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        // A counted sentence is its plural forms (key_one, key_other), picked by i18next from the count.
        if (!english.has(m[1]!) && !english.has(`${m[1]}_other`)) missing.push(`${file}: ${m[1]}`);
      }
      // t(`nav.${id}`): the prefix must be a group of the catalogue.
      for (const m of text.matchAll(/\bt\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g)) {
        if (![...english.keys()].some((k) => k.startsWith(`${m[1]}.`))) missing.push(`${file}: ${m[1]}.*`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names every screen and every export format of the registries, in English and so in Hindi', () => {
    // The screen table imports the screens (React): read as text here, as the screens are above.
    const screenTable = sources.find((s) => s.file.endsWith('/app/screens.ts'))!.text;
    const titleKeys = [...screenTable.matchAll(/titleKey: '([a-zA-Z0-9_.]+)'/g)].map((m) => m[1]!);
    expect(titleKeys.length).toBeGreaterThan(5);
    const keys = [...titleKeys, ...exportFormats.map((f) => f.labelKey)];
    expect(keys.filter((key) => !english.has(key))).toEqual([]);
  });

  it('leaves no English words in the screens outside the catalogue', () => {
    const literal: string[] = [];
    for (const { file, text } of sources.filter((s) => s.file.endsWith('.tsx'))) {
      // JSX text between tags that holds a letter: it would show in English whatever the language.
      for (const m of text.matchAll(/(?<!=)>\s*([^<>{}\n]*[A-Za-z][^<>{}\n]*)\s*</g)) {
        const words = m[1]!.trim();
        if (words && !/^[=&|?:()]/.test(words) && !/=>|&&|\|\|/.test(words))
          literal.push(`${file}: ${words}`);
      }
      for (const m of text.matchAll(/\b(?:aria-label|title|placeholder|alt)="([^"]*[A-Za-z][^"]*)"/g)) {
        if (!/^\/dev\//.test(m[1]!)) literal.push(`${file}: ${m[0]}`);
      }
    }
    expect(literal).toEqual([]);
  });
});
