import type { SessionInfo } from '../../src-shared/users.ts';
import { StationError } from '../../src-shared/errors.ts';

export interface FirstAdmin {
  username: string;
  displayName?: string;
  password: string;
}

/** What the first run needs of the user service (auth/users.ts), passed in by the composition root. */
export interface FirstRunUsers {
  count(): number;
  createFirstAdmin(input: FirstAdmin, action: 'setup.firstAdmin'): Promise<unknown>;
}

/**
 * The first run of a station: with no users and no centre, the page (which holds the token) may create the
 * first admin and nothing else. The "no users yet" check runs inside the insert's transaction (users.ts), so of
 * two tabs racing only one wins; the other is told the station has users. A joined station gets its admins
 * from the centre, never from this screen.
 */
export function createSetupService(
  users: FirstRunUsers,
  login: (input: { username: string; password: string }) => Promise<SessionInfo>,
  joined: () => boolean,
) {
  return {
    state: () => ({ firstAdmin: users.count() === 0 && !joined() }),

    async firstAdmin(input: FirstAdmin): Promise<SessionInfo> {
      if (joined()) throw new StationError('setup_joined');
      await users.createFirstAdmin(input, 'setup.firstAdmin');
      return login({ username: input.username, password: input.password });
    },
  };
}
