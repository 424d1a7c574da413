import { SyncError, type CentralClient } from './central-client.ts';
import { formatError } from '../../src-shared/errors.ts';
import { saveCentreCa, saveSyncConfig, type SyncConfig } from './config.ts';

/**
 * A station enrolled before the pooled login has no secret: it logs in once more with its old role, takes its
 * secret and the pooled login from the centre, stores them (central.json, owner-only) before using them, and
 * goes on with the pooled login. A station whose old role is gone is told what to do instead.
 */
export async function claimPooledLogin(
  dataDir: string,
  config: SyncConfig,
  client: CentralClient,
): Promise<SyncConfig> {
  let claimed;
  try {
    claimed = await client.claimSecret();
  } catch (e) {
    // Refused, or its old role is gone or its password changed (28000, 28P01): only a new enrolment helps.
    const loginRefused = e instanceof SyncError && ['28000', '28P01'].includes(e.sqlState ?? '');
    if (
      e instanceof SyncError &&
      (loginRefused || ['not_enrolled', 'wrong_proof', 'revoked'].includes(e.kind))
    ) {
      throw new SyncError(
        'not_enrolled',
        'This station was enrolled before the centre moved to one shared station login, and its old login no longer works: ask IT for a new enrolment line ("baglink central add-station") and run "baglink join --enrolment-file FILE". Unsent scans stay on this station.',
        e.sqlState,
      );
    }
    throw e;
  }
  // The pooled login is admitted only where stations connect (PgBouncer), not where the old role logged in.
  const url = new URL(claimed.stationUrl ?? config.url);
  url.username = claimed.login;
  url.password = claimed.password;
  const caFile = claimed.ca ? saveCentreCa(dataDir, claimed.ca) : config.caFile;
  const next: SyncConfig = { ...config, url: url.toString(), caFile, secret: claimed.secret };
  saveSyncConfig(dataDir, next);
  await client.adopt(next);
  return next;
}

/**
 * The first call with a claimed login. Refused at login where the old role connected (pg_hba admits the pooled
 * login only through PgBouncer, and IT has not stored its address): the station goes back to its old enrolment,
 * whose role is kept until the station has synced with its secret, so its next sync claims again, and it says
 * what IT must do.
 */
export async function firstCallAfterClaim(
  dataDir: string,
  old: SyncConfig,
  client: CentralClient,
  firstCall: () => Promise<void>,
): Promise<void> {
  try {
    await firstCall();
  } catch (e) {
    if (!(e instanceof SyncError && ['28000', '28P01'].includes(e.sqlState ?? ''))) throw e;
    saveSyncConfig(dataDir, old);
    await client.adopt(old);
    const url = new URL(old.url);
    throw new SyncError('not_enrolled', formatError('sync_claim_address', { address: url.host }), e.sqlState);
  }
}
