import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStation } from '../central/enrol.ts';
import { startPrivateCluster, type PrivateCluster } from '../central/private-cluster.ts';
import { makeCertificates } from '../central/private-certs.ts';
import { createCentralDb, dbUrl, type CentralDb } from '../central/scratch-db.ts';
import { createTestStation, child, type TestStation } from '../testing/test-station.ts';
import { applyCentreSettings } from './centre-settings.ts';
import { saveEnrolment } from './config.ts';
import { createSyncEngine } from './engine.ts';
import { centralState, localState } from './testing/stations.ts';

describe('sync over TLS with verify-full and the CA handed over at enrolment', () => {
  let certDir: string;
  let certs: ReturnType<typeof makeCertificates>;
  let cluster: PrivateCluster;
  let db: CentralDb;
  let station: TestStation;

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'baglink-tls-'));
    certs = makeCertificates(certDir);
    cluster = await startPrivateCluster({ certFile: certs.certFile, keyFile: certs.keyFile });
    db = await createCentralDb(`${cluster.url}?sslmode=no-verify`);
    station = createTestStation();
  }, 120_000);
  afterAll(async () => {
    station?.dispose();
    await db?.drop().catch(() => undefined);
    cluster?.destroy();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  it('pushes and pulls over verify-full; a plain or wrongly verified connection is refused', async () => {
    const stationBase = `${dbUrl(`postgres://127.0.0.1:${cluster.port}/postgres`, db.name)}?sslmode=verify-full`;
    const enrolment = await addStation({
      adminUrl: db.adminUrl,
      name: 'Dock TLS',
      dispatchArea: 'NORTH',
      stationUrlBase: stationBase,
      ca: certs.ca,
    });
    expect(new URL(enrolment.url).searchParams.get('sslmode')).toBe('verify-full');
    saveEnrolment(station.dir, enrolment);
    applyCentreSettings(station.station.ctx, enrolment.dispatchArea, null); // as "baglink join" does
    await station.addUser('ana', 'admin');
    await station.login('ana');
    await station.scan('SB00001');
    await station.scan(child(1));
    const engine = createSyncEngine({ dataDir: station.dir, clock: station.clock });
    try {
      // Two scans (the station's own admin stays on the station: admins come from IT).
      expect(await engine.cycle()).toMatchObject({ pushed: 2 });
    } finally {
      await engine.close();
    }
    expect(localState(station.station.ctx.sqlite)).toEqual(await centralState(db));
    expect((await centralState(db)).links).toEqual([`${child(1)}>SB00001`]);

    const tryConnect = async (url: string, ssl?: pg.ClientConfig['ssl']) => {
      const c = new pg.Client({
        connectionString: url,
        ...(ssl ? { ssl } : {}),
        connectionTimeoutMillis: 5_000,
      });
      try {
        await c.connect();
        return 'connected';
      } catch (e) {
        return (e as Error).message;
      } finally {
        await c.end().catch(() => undefined);
      }
    };
    const plain = new URL(enrolment.url);
    plain.searchParams.set('sslmode', 'disable');
    expect(await tryConnect(plain.toString())).toMatch(/no pg_hba.conf entry|SSL off/);
    const noCa = new URL(enrolment.url);
    noCa.searchParams.delete('sslmode');
    expect(await tryConnect(noCa.toString(), { ca: certs.otherCa, rejectUnauthorized: true })).toMatch(
      /certificate/i,
    );
  });
});
