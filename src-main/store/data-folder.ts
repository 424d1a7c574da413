import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { win32 } from 'node:path';

/**
 * A sentence when other users of this PC could read the data folder (the database holds password hashes and
 * every scan), else null. On Linux and macOS that is the folder's mode; on Windows, where modes mean nothing,
 * owner-only is the per-user profile's inherited ACL, so the check is that the folder lies inside the profile.
 */
export function dataFolderWarning(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  profile: string = homedir(),
): string | null {
  if (platform === 'win32') {
    // Windows paths compare without regard to case.
    const inside = win32.relative(win32.resolve(profile).toLowerCase(), win32.resolve(dataDir).toLowerCase());
    if (inside && !inside.startsWith('..') && !win32.isAbsolute(inside)) return null;
    return (
      `The data folder ${dataDir} is outside your user profile (${profile}), so it does not inherit the ` +
      `profile's owner-only permissions: move it into the profile or allow only your user in its Security settings.`
    );
  }
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  return (
    `The data folder ${dataDir} can be read by other users of this PC (mode ${mode.toString(8)}): ` +
    `run "chmod 700 ${dataDir}".`
  );
}
