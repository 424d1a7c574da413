import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ShellSafeStorage } from './electron-types.ts';

/** What enrolment gives a station to reach the central PostgreSQL. */
export interface CentralCredentials {
  connectionString: string;
  stationId: string;
}

export interface CredentialVault {
  /** True when the file on disk is encrypted by the OS (DPAPI on Windows, the keyring on Linux). */
  readonly encrypted: boolean;
  save(credentials: CentralCredentials): void;
  load(): CentralCredentials | undefined;
  forget(): void;
}

const encryptedMagic = Buffer.from('BLSENC1\n');
const plainMagic = Buffer.from('BLSPLN1\n');

/**
 * Central credentials in one file in the data folder, encrypted with Electron's safeStorage where the OS offers
 * it. Where it does not (a Linux PC with no keyring), the file is owner-only (0600) and `encrypted` is false,
 * so the settings screen can say so. A file written encrypted is never silently rewritten in plain text.
 */
export function createCredentialVault(path: string, safeStorage: ShellSafeStorage): CredentialVault {
  const canEncrypt = () => safeStorage.isEncryptionAvailable();
  return {
    get encrypted() {
      return canEncrypt();
    },
    save(credentials) {
      const json = JSON.stringify(credentials);
      const body = canEncrypt()
        ? Buffer.concat([encryptedMagic, safeStorage.encryptString(json)])
        : Buffer.concat([plainMagic, Buffer.from(json)]);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const temp = `${path}.tmp`;
      writeFileSync(temp, body, { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, path);
    },
    load() {
      if (!existsSync(path)) return undefined;
      const body = readFileSync(path);
      const head = body.subarray(0, encryptedMagic.length);
      let json: string;
      if (head.equals(encryptedMagic)) {
        if (!canEncrypt()) {
          throw new Error(
            'The central credentials are encrypted but this PC cannot decrypt them now: log in to the desktop session that enrolled the station, or enrol it again.',
          );
        }
        json = safeStorage.decryptString(body.subarray(encryptedMagic.length));
      } else if (head.equals(plainMagic)) {
        json = body.subarray(plainMagic.length).toString('utf8');
      } else {
        throw new Error(`The central credentials file ${path} is damaged: enrol the station again.`);
      }
      return JSON.parse(json) as CentralCredentials;
    },
    forget() {
      rmSync(path, { force: true });
    },
  };
}
