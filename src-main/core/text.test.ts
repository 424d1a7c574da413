import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StationError } from '../../src-shared/errors.ts';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import { findUnsafeChar, normalizeText } from '../../src-shared/text.ts';

const NUL = '\u0000';
const RLO = '\u202e';
const ZWSP = '\u200b';
const ZWJ = '\u200d';

describe('findUnsafeChar', () => {
  it.each([
    ['a NUL', `Del${NUL}hi`, 'U+0000', 4],
    ['a right-to-left override', `Delhi ${RLO}gpj.exe`, 'U+202E', 7],
    ['a bidi isolate', `A\u2066B`, 'U+2066', 2],
    ['a zero-width space', `Pu${ZWSP}ne`, 'U+200B', 3],
    ['a byte order mark', `\ufeffPune`, 'U+FEFF', 1],
    ['a soft hyphen', `Pu\u00adne`, 'U+00AD', 3],
    ['a line separator', `Pu\u2028ne`, 'U+2028', 3],
    ['a lone surrogate', `Pu\ud800ne`, 'U+D800', 3],
    ['an escape', `Pu\u001b[31mne`, 'U+001B', 3],
    ['a C1 control', `Pu\u0085ne`, 'U+0085', 3],
    ['a joiner between Latin letters', `Pu${ZWJ}ne`, 'U+200D', 3],
    ['a line break in a one-line field', 'Pune\nDelhi', 'U+000A', 5],
  ])('finds %s', (_, text, char, position) => {
    expect(findUnsafeChar(text)).toEqual({ char, position });
  });

  it('keeps Hindi and its joiners, and line breaks in a multi-line field', () => {
    expect(findUnsafeChar('दिल्ली डिपो')).toBeNull();
    expect(findUnsafeChar(`क्${ZWJ}ष`)).toBeNull();
    expect(findUnsafeChar('line one\r\nline two\tend', { multiline: true })).toBeNull();
    expect(findUnsafeChar(`line one\n${RLO}`, { multiline: true })).toEqual({ char: 'U+202E', position: 10 });
  });

  it('normalises to NFC', () => {
    expect(normalizeText('Pune e\u0301')).toBe('Pune \u00e9');
    expect(normalizeText('a\r\nb')).toBe('a\nb');
  });
});

describe('bill and user text at the contract', () => {
  let t: TestStation;
  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('sup', 'supervisor');
    await t.login('sup');
  });
  afterEach(() => t.dispose());

  const bill = (fields: Record<string, string>) => ({
    billNo: 'B-1',
    destination: 'Delhi',
    vehicleNo: 'DL01AB1234',
    capacity: 3,
    ...fields,
  });

  it.each([
    ['destination', `Del${NUL}hi`],
    ['destination', `Delhi ${RLO}`],
    ['vehicleNo', `DL01${ZWSP}AB1234`],
    ['description', `fragile ${RLO}eligarf`],
    ['billNo', `B-1${NUL}`],
  ])('refuses a bill whose %s holds a control or invisible character, naming it', async (field, value) => {
    const r = await t.api.dispatch('bills.create', bill({ [field]: value }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('unsafe_text');
    expect(r.error.params).toMatchObject({ field });
    expect(r.error.message).toMatch(/^The \w+ has a control or invisible character \(U\+[0-9A-F]{4}\)/);
    expect(t.rows('bills')).toBe(0);
  });

  it('stores bill text as NFC and keeps line breaks in the description', async () => {
    await t.call('bills.create', bill({ destination: 'Pune e\u0301', description: 'line 1\r\nline 2' }));
    const row = t.station.ctx.sqlite
      .prepare(`select destination, description from bills where bill_no = 'B-1'`)
      .get() as { destination: string; description: string };
    expect(row).toEqual({ destination: 'Pune \u00e9', description: 'line 1\nline 2' });
  });

  it('refuses user and station names with such characters, and keeps Hindi names', async () => {
    await t.login('admin');
    const user = { username: 'ravi', role: 'dock', password: PASSWORD };
    expect(await t.refusal('users.create', { ...user, displayName: `Ravi${RLO}` })).toBe('unsafe_text');
    expect(await t.refusal('users.create', { ...user, badge: `BADGE${NUL}1` })).toBe('unsafe_text');
    expect(await t.refusal('users.update', { username: 'sup', displayName: `S${ZWSP}up` })).toBe(
      'unsafe_text',
    );
    expect(await t.refusal('settings.update', { name: `Dock 1${NUL}` })).toBe('unsafe_text');
    expect(t.rows('users', `username = 'ravi'`)).toBe(0);
    expect(t.rows('audit_log', `action = 'settings.update'`)).toBe(0);

    await t.call('users.create', { ...user, displayName: `रवि क्${ZWJ}षत्रिय` });
    expect(t.station.ctx.users.byUsername('ravi')?.displayName).toBe(`रवि क्${ZWJ}षत्रिय`);
  });

  it('refuses the same through the CLI path, which does not go through the contract', async () => {
    const call = t.station.users.createFromConsole({
      username: 'ravi',
      role: 'dock',
      password: PASSWORD,
      displayName: `Ravi${NUL}`,
    });
    await expect(call).rejects.toBeInstanceOf(StationError);
    await expect(call).rejects.toMatchObject({ code: 'unsafe_text', params: { field: 'displayName' } });
    expect(t.rows('users', `username = 'ravi'`)).toBe(0);
  });
});
