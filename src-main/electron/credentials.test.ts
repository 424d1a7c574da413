import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialVault } from './credentials.ts';
import { FakeSafeStorage } from './testing/fake-electron.ts';

let dir: string;
let file: string;
const credentials = {
  connectionString: 'postgres://station_7:s3cret-pass@central:5432/baglink',
  stationId: 'st-7',
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baglink-vault-'));
  file = join(dir, 'central-credentials.bin');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('central credentials', () => {
  it('are stored encrypted with safeStorage where it is available', () => {
    const vault = createCredentialVault(file, new FakeSafeStorage(true));
    vault.save(credentials);
    expect(vault.encrypted).toBe(true);
    expect(readFileSync(file).toString('latin1')).not.toContain('s3cret-pass');
    expect(vault.load()).toEqual(credentials);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('fall back to an owner-only file, and say so, where safeStorage is not available', () => {
    const vault = createCredentialVault(file, new FakeSafeStorage(false));
    vault.save(credentials);
    expect(vault.encrypted).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(vault.load()).toEqual(credentials);
  });

  it('refuse to read encrypted credentials when decryption is not available, with what to do', () => {
    createCredentialVault(file, new FakeSafeStorage(true)).save(credentials);
    expect(() => createCredentialVault(file, new FakeSafeStorage(false)).load()).toThrow(/enrol it again/);
  });

  it('report a damaged file, and forget removes it', () => {
    const vault = createCredentialVault(file, new FakeSafeStorage(true));
    expect(vault.load()).toBeUndefined();
    writeFileSync(file, 'garbage');
    expect(() => vault.load()).toThrow(/damaged/);
    vault.forget();
    expect(vault.load()).toBeUndefined();
  });
});
