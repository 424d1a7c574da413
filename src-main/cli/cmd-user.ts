import { createStation } from '../app/station.ts';
import { roles, type Role } from '../../src-shared/roles.ts';
import { readAll, UsageError } from './io.ts';
import type { Command, CommandContext } from './command.ts';
import { commandHelp } from './usage.ts';

export const userCommand: Command = {
  summary: 'Adds a user. The password is read from standard input, never from the command line.',
  usage: commandHelp.user.usage,
  options: {
    username: { type: 'string' },
    role: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    name: { type: 'string' },
    area: { type: 'string' },
    badge: { type: 'string' },
  },
  async run({ dataDir, values, positionals, io }: CommandContext): Promise<number> {
    if (positionals[0] !== 'add') throw new UsageError(`Say what to do: ${userCommand.usage}`);
    const username = values.username as string | undefined;
    const role = values.role as Role | undefined;
    if (!username) throw new UsageError('Give the new user a name with --username.');
    if (!role || !roles.includes(role))
      throw new UsageError('Give the role with --role dock, supervisor or admin.');
    if (!values['password-stdin']) {
      throw new UsageError(
        'Pipe the password in and pass --password-stdin (a password on the command line would stay in shell history).',
      );
    }
    const password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    const station = createStation({ dataDir, create: true });
    try {
      if (station.users.count() === 0 && role !== 'admin') {
        throw new UsageError(
          'This station has no users yet: the first user must be an admin (--role admin).',
        );
      }
      const add =
        station.users.count() === 0 ? station.users.createFirstAdmin : station.users.createFromConsole;
      const user = await add({
        username,
        role,
        password,
        displayName: values.name as string | undefined,
        dispatchArea: (values.area as string | undefined) ?? null,
        badge: (values.badge as string | undefined) ?? null,
      });
      io.out(`Added ${user.role} ${user.username} to the station in ${dataDir}.`);
      return 0;
    } finally {
      station.close();
    }
  },
};
