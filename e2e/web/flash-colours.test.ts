import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  contrast,
  deltaE2000,
  deltaE2000Lab,
  parseHex,
  simulate,
  type Deficiency,
  type Rgb,
} from './colour-vision.ts';

const css = readFileSync(new URL('../../src-renderer/styles.css', import.meta.url), 'utf8');
const outcomes = ['ok', 'parent', 'full', 'dup', 'error', 'weight'] as const;

function variable(name: string): Rgb {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(css);
  if (!m) throw new Error(`styles.css has no --${name}`);
  return parseHex(m[1]!);
}

const pairs = outcomes.flatMap((a, i) => outcomes.slice(i + 1).map((b) => [a, b] as const));

describe('flash colours a red-green colour-blind worker can tell apart', () => {
  it('computes CIEDE2000 as published (Sharma, Wu & Dalal 2005, pairs 1 and 17)', () => {
    expect(deltaE2000Lab([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000Lab([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
  });

  it.each(['deuteranopia', 'protanopia'] as Deficiency[])(
    'keeps every pair of outcome colours at CIEDE2000 >= 20 under simulated %s (and with full colour vision)',
    (deficiency) => {
      const seen = (name: string) => simulate(variable(`${name}-flash`), deficiency);
      for (const [a, b] of pairs) {
        expect(deltaE2000(seen(a), seen(b)), `${a} vs ${b} (${deficiency})`).toBeGreaterThanOrEqual(20);
        const full = deltaE2000(variable(`${a}-flash`), variable(`${b}-flash`));
        expect(full, `${a} vs ${b}`).toBeGreaterThanOrEqual(20);
      }
    },
  );

  it.each(outcomes)('gives the %s flash text with contrast >= 4.5:1', (outcome) => {
    const ratio = contrast(variable(`${outcome}-flash`), variable(`${outcome}-flash-text`));
    expect(ratio).toBeGreaterThanOrEqual(4.5);
  });
});
