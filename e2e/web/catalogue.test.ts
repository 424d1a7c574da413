import { describe, expect, it } from 'vitest';
import { errorMessages } from '../../src-main/core/errors.ts';
import { en } from '../../src-renderer/i18n/en.ts';
import { paramsOf } from '../../src-renderer/i18n/error-params.ts';
import { hi } from '../../src-renderer/i18n/hi.ts';

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
});
