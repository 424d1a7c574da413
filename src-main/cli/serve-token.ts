import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isUsableToken, tokenRule } from '../api/host-token.ts';
import { UsageError } from './io.ts';

export interface ServeToken {
  token: string;
  /** Generated here: print it, since nobody else knows it. */
  generated: boolean;
}

/**
 * The API token of `baglink serve`: from BAGLINK_TOKEN, from a file only its owner can read (--token-file), or
 * a new random one. Never from the command line, where every local user can read it in the process list.
 */
export function serveToken(
  values: { token?: unknown; 'token-file'?: unknown },
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): ServeToken {
  if (values.token !== undefined) {
    throw new UsageError(
      'Do not put the token on the command line (every user of this PC can read it in the process list): ' +
        'set BAGLINK_TOKEN, or pass --token-file FILE (readable by you only).',
    );
  }
  const file = values['token-file'];
  const given = typeof file === 'string' ? tokenFromFile(file, platform) : env.BAGLINK_TOKEN;
  if (given === undefined) return { token: randomBytes(24).toString('base64url'), generated: true };
  if (!isUsableToken(given)) throw new UsageError(tokenRule);
  return { token: given, generated: false };
}

function tokenFromFile(file: string, platform: NodeJS.Platform): string {
  let text: string;
  try {
    // On Windows a file in the user's profile is the user's by its inherited ACL; POSIX modes say nothing there.
    if (platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      throw new UsageError(
        `The token file ${file} can be read by other users: run "chmod 600 ${file}" and start again.`,
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `The token file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`,
    );
  }
  // One trailing line end, as an editor or `echo` leaves it; anything else is part of the token and checked.
  return text.replace(/\r?\n$/, '');
}
