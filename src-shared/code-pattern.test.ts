import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePatternProblem, matchCodePattern, parseCodePattern } from './code-pattern.ts';
import { defaultProfile } from './profile.ts';

const matches = (pattern: string, code: string) => matchCodePattern(parseCodePattern(pattern), code);

describe('code patterns', () => {
  it('reads the default patterns and matches the whole code only', () => {
    for (const p of [...defaultProfile.parentPatterns, ...defaultProfile.childPatterns]) parseCodePattern(p);
    expect(matches('^SB\\d{5}$', 'SB12345')).toBe(true);
    expect(matches('^SB\\d{5}$', 'SB1234')).toBe(false);
    expect(matches('^SB\\d{5}$', 'SB123456')).toBe(false);
    expect(matches('^SB\\d{5}$', 'XSB12345')).toBe(false);
    expect(matches('^M444-\\d{5}$', 'M444-00001')).toBe(true);
    expect(matches('^[A-Z0-9]{4,20}$', 'CH000001')).toBe(true);
    expect(matches('^[A-Z0-9]{4,20}$', 'CH-00001')).toBe(false);
    expect(matches('^[^-]+-\\d?X*\\.$', 'AB-X.')).toBe(true);
    expect(matches('^01\\x1D\\d{2,}$', '01\u001d1234')).toBe(true);
    expect(matches('^.{3}\\w\\W$', 'ab_c!')).toBe(true);
  });

  it.each([
    ['^(A+)+$', 'pattern_unsupported', { token: '(', position: 2 }],
    ['^(SB|M444-)\\d{5}$', 'pattern_unsupported', { token: '(', position: 2 }],
    ['^SB\\d{5}|^M\\d{4}$', 'pattern_unsupported', { token: '|', position: 9 }],
    ['^(A)\\1$', 'pattern_unsupported', { token: '(' }],
    ['^A\\1$', 'pattern_unsupported', { token: '\\1', position: 3 }],
    ['^A\\b$', 'pattern_unsupported', { token: '\\b' }],
    ['^A++$', 'pattern_unsupported', { token: '+', position: 4 }],
    ['^A{2}{3}$', 'pattern_unsupported', { token: '{' }],
    ['^A*?$', 'pattern_unsupported', { token: '?' }],
    ['^straße$', 'pattern_unsupported', { token: 'U+DF', position: 6 }],
    ['^A{5,2}$', 'pattern_malformed', {}],
    ['^A{101}$', 'pattern_malformed', {}],
    ['^A{1,200}$', 'pattern_malformed', {}],
    ['^[A-Z$', 'pattern_malformed', {}],
    ['^[Z-A]$', 'pattern_malformed', {}],
    ['^*A$', 'pattern_malformed', { position: 2 }],
    ['^A\\$', 'pattern_not_anchored', {}],
    ['SB\\d{5}', 'pattern_not_anchored', {}],
    ['^SB\\d{5}', 'pattern_not_anchored', {}],
  ])('refuses %s with %s', (pattern, code, params) => {
    const problem = codePatternProblem(pattern);
    expect(problem).toMatchObject({ code, params: { pattern, ...params } });
    expect(problem?.message).toContain(pattern);
  });

  it('answers at once where a backtracking engine would take exponential or polynomial time', () => {
    const code = `${'A'.repeat(99)}!`;
    expect(matches('^A+A+A+A+A+A+A+A+A+A+A+A+A+A+A+A+A+A+A+A+$', code)).toBe(false);
    expect(matches(`^${'[A-Z]{0,100}'.repeat(16)}$`, code)).toBe(false);
    expect(matches('^A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*!$', code)).toBe(true);
  });

  it('agrees with a regular expression on the same pattern (random patterns and codes)', () => {
    const atom = fc.constantFrom('A', 'B', '-', '\\d', '\\w', '.', '[AB]', '[^A]', '[0-2B]', '\\D');
    const count = fc.constantFrom('', '?', '*', '+', '{2}', '{0,2}', '{1,3}', '{2,}');
    const pattern = fc
      .array(fc.tuple(atom, count), { minLength: 1, maxLength: 6 })
      .map((items) => `^${items.map(([a, c]) => a + c).join('')}$`);
    const code = fc.string({ unit: fc.constantFrom('A', 'B', '0', '1', '-', 'x'), maxLength: 10 });
    fc.assert(
      fc.property(pattern, code, (p, c) => matches(p, c) === new RegExp(p).test(c)),
      { seed: 1313, numRuns: 3000 },
    );
  });
});
