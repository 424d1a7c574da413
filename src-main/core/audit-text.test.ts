import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditSentence, auditTemplates, maskBadge, type AuditRow } from '../../src-shared/audit-text.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[prefix + k, v]] : leaves(v, `${prefix}${k}.`),
  );
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('audit sentences', () => {
  let t: TestStation;

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({
      username: 'admin',
      displayName: 'Asha Admin',
      password: PASSWORD,
    });
    await t.addUser('sup', 'supervisor');
    await t.addUser('dina', 'dock');
  });
  afterEach(() => t.dispose());

  it('has every template in Hindi with the same placeholders', () => {
    const en = leaves(auditTemplates.en as unknown as Tree);
    const hi = new Map(leaves(auditTemplates.hi as unknown as Tree));
    expect(en.length).toBe(hi.size);
    for (const [key, text] of en) {
      expect(hi.get(key), key).toBeTruthy();
      expect(placeholders(hi.get(key)!), key).toEqual(placeholders(text));
    }
  });

  it('reads every change of a working day as a sentence, with no method names, ids or badge codes', async () => {
    await t.login('dina');
    await t.scan('SB00001');
    await t.scan(child(1));
    await t.scan(child(2));
    await t.scan('SB00002');
    await t.scan(child(3));
    await t.login('sup');
    await t.call('links.move', { child: child(1), toParent: 'SB00002', reason: 'wrong parent' });
    await t.call('links.remove', { child: child(2), reason: 'torn' });
    await t.call('bills.create', { billNo: 'B-7', destination: 'Pune', vehicleNo: 'MH12', capacity: 3 });
    await t.call('bills.addParent', { billNo: 'B-7', parent: 'SB00002' });
    await t.call('bills.complete', { billNo: 'B-7' });
    await t.login('admin');
    await t.call('users.update', {
      username: 'dina',
      role: 'supervisor',
      badge: 'BADGEDINA77',
      pin: '135790',
    });
    await t.call('users.update', { username: 'dina', active: false });
    await t.call('settings.update', { profile: { parentCapacity: 20 } });

    const rows = (await t.call<{ rows: AuditRow[] }>('audit.list', { limit: 200 })).rows;
    const en = rows.map((r) => auditSentence(r, 'en'));
    const hi = rows.map((r) => auditSentence(r, 'hi'));
    expect(en).toContain('sup moved CH000001 from SB00001 to SB00002. (reason: wrong parent)');
    expect(en).toContain('sup took CH000002 out of SB00001. (reason: torn)');
    expect(en).toContain('sup created bill B-7 to Pune (vehicle MH12, 3 parent bags).');
    expect(en).toContain('sup put parent SB00002 on bill B-7.');
    expect(en).toContain('sup completed bill B-7.');
    expect(en).toContain(
      `Asha Admin changed dina: role dock worker → supervisor, new PIN, new badge ${maskBadge('BADGEDINA77')}.`,
    );
    expect(en).toContain('Asha Admin changed dina: switched off.');
    expect(en).toContain('Asha Admin changed the station settings: parent capacity 30 → 20.');
    expect(en).toContain('dina logged in.');
    expect(hi).toContain('sup ने CH000001 को SB00001 से SB00002 में ले जाया। (कारण: wrong parent)');
    for (const sentence of [...en, ...hi]) {
      expect(sentence).not.toMatch(/[{}]|undefined|null|[0-9a-f]{8}-[0-9a-f]{4}|\w+\.\w+\(|BADGEDINA77/);
      expect(sentence).not.toMatch(/\b(user|bill|settings|session)\.[a-zA-Z]+/);
    }
  });

  it('reads the dock hardware and label changes, and the weight check settings, as sentences', () => {
    const row = (action: string, before: unknown, after: unknown) => ({
      action,
      entity: 'station',
      entityId: 'x',
      username: 'asha',
      before,
      after,
    });
    const printer = { connection: { kind: 'tcp', host: '10.0.0.7' }, layout: '4x2in', dpi: 203 };
    const scale = { path: '/dev/ttyUSB1', protocol: 'sics' };
    const en = (action: string, before: unknown, after: unknown) =>
      auditSentence(row(action, before, after), 'en');
    expect(en('hardware.configure', { scale: null, printer: null }, { scale, printer })).toBe(
      'asha changed the dock hardware: scale /dev/ttyUSB1 attached, label printer 10.0.0.7 attached.',
    );
    expect(en('hardware.configure', { scale, printer }, { scale: null })).toBe(
      'asha changed the dock hardware: scale taken off.',
    );
    expect(en('hardware.configure', { scale, printer }, { scale, printer: { ...printer, dpi: 300 } })).toBe(
      'asha changed the dock hardware: label printer settings changed.',
    );
    expect(en('hardware.configure', { scale, printer }, { scale, printer })).toBe(
      'asha saved the scale and label printer settings without a change.',
    );
    expect(en('label.reprint', null, { parent: 'SB00001' })).toBe(
      'asha reprinted the label of parent SB00001.',
    );
    expect(
      en(
        'settings.update',
        { profile: { parentCapacity: 30, weightRequired: false } },
        { profile: { parentCapacity: 30, weightRequired: true } },
      ),
    ).toBe('asha changed the station settings: weight check settings changed.');
    expect(auditSentence(row('label.reprint', null, { parent: 'SB00001' }), 'hi')).toBe(
      'asha ने पैरेंट SB00001 का लेबल फिर से छापा।',
    );
  });
});
