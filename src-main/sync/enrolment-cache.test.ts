import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolmentPath, type SyncConfig } from './config.ts';
import { createTestStation, type TestStation } from '../testing/test-station.ts';

const configModule = fileURLToPath(new URL('./config.ts', import.meta.url));

/** Writes central.json as `baglink join` does, from another process (saveSyncConfig: a new file renamed in). */
function joinFromAnotherProcess(dataDir: string, config: SyncConfig) {
  const script =
    `import { saveSyncConfig } from ${JSON.stringify(configModule)};` +
    `saveSyncConfig(${JSON.stringify(dataDir)}, ${JSON.stringify(config)});`;
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
}

const enrolment = (stationId: string): SyncConfig => ({
  stationId,
  name: 'Dock 1',
  dispatchArea: 'DEL',
  url: `postgres://station@centre.example:5432/baglink`,
  caFile: null,
  secret: 'not-a-real-secret',
});

describe('the enrolment kept in memory', () => {
  let t: TestStation;
  beforeEach(() => {
    t = createTestStation();
  });
  afterEach(() => t.dispose());

  it('sees a join, a new enrolment and a removal made by another process while the station runs', () => {
    expect(t.station.sync.status()).toMatchObject({ state: 'not_enrolled', centralStationId: null });

    joinFromAnotherProcess(t.dir, enrolment('st-one'));
    expect(t.station.sync.status()).toMatchObject({ state: 'stopped', centralStationId: 'st-one' });
    expect(t.station.sync.enrolment()?.stationId).toBe('st-one');

    // Recovery or a restore writes the file again (same size, the same second): still seen.
    joinFromAnotherProcess(t.dir, enrolment('st-two'));
    expect(t.station.sync.status().centralStationId).toBe('st-two');

    rmSync(enrolmentPath(t.dir));
    expect(t.station.sync.status()).toMatchObject({ state: 'not_enrolled', centralStationId: null });
  });

  it('answers from memory while the file is unchanged: the same object on every call', () => {
    joinFromAnotherProcess(t.dir, enrolment('st-one'));
    const first = t.station.sync.enrolment();
    expect(first?.stationId).toBe('st-one');
    expect(t.station.sync.enrolment()).toBe(first);
  });
});
