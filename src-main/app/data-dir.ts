import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The platform's app data folder, the same one the desktop app uses (Electron's userData for the app name
 * "baglink-station"): the database, logs and station config live there and nowhere else.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.BAGLINK_DATA_DIR) return env.BAGLINK_DATA_DIR;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'baglink-station');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'baglink-station');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'baglink-station');
}
