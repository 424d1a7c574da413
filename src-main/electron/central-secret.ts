import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { enrolmentPath, loadSyncConfig } from '../sync/config.ts';
import type { CredentialVault } from './credentials.ts';

/**
 * The desktop app's care of the central password. `baglink join` writes it inside the URL in central.json
 * (owner-only). Where safeStorage can encrypt, the full connection string moves into the vault and the password
 * leaves central.json; the sync worker is then handed the decrypted string. Where it cannot, central.json stays
 * as it is and the worker reads it. Returns the connection string the worker should use, if it is not the file's.
 * Nothing secret is ever logged.
 */
export function sealCentralCredentials(
  dataDir: string,
  vault: CredentialVault,
  log: (line: string) => void,
): string | undefined {
  const config = loadSyncConfig(dataDir);
  if (!config) return undefined;
  const url = new URL(config.url);
  if (url.password === '') {
    const saved = vault.load();
    return saved?.stationId === config.stationId ? saved.connectionString : undefined;
  }
  if (!vault.encrypted) {
    log(
      'sync: this PC offers no system keyring to encrypt with, so the central credentials stay in central.json, readable by this user only',
    );
    return undefined;
  }
  const credentials = { connectionString: config.url, stationId: config.stationId };
  vault.save(credentials);
  // The password leaves central.json only once the vault gives it back whole.
  if (vault.load()?.connectionString !== credentials.connectionString) {
    throw new Error('The central credentials could not be encrypted: they stay in central.json for now.');
  }
  url.password = '';
  const path = enrolmentPath(dataDir);
  const temp = `${path}.tmp`;
  writeFileSync(temp, JSON.stringify({ ...config, url: url.toString() }, null, 2), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  log('sync: the central credentials are now kept encrypted with the system keyring');
  return credentials.connectionString;
}
