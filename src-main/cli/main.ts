import { parseArgs } from 'node:util';
import { formatError, StationError } from '../../src-shared/errors.ts';
import { storeFailure } from '../store/integrity.ts';
import { dataFolderFailure } from '../store/make-data-folder.ts';
import { defaultDataDir } from '../app/data-dir.ts';
import type { Command } from './command.ts';
import { processIo, UsageError, type CliIo } from './io.ts';
import { commandHelp, type CommandName } from './usage.ts';

const commands: Record<CommandName, () => Promise<Command>> = {
  migrate: async () => (await import('./cmd-migrate.ts')).migrateCommand,
  user: async () => (await import('./cmd-user.ts')).userCommand,
  serve: async () => (await import('./cmd-serve.ts')).serveCommand,
  status: async () => (await import('./cmd-status.ts')).statusCommand,
  lookup: async () => (await import('./cmd-lookup.ts')).lookupCommand,
  'seed-demo': async () => (await import('./cmd-seed-demo.ts')).seedDemoCommand,
  bench: async () => (await import('./cmd-bench.ts')).benchCommand,
  export: async () => (await import('./cmd-export.ts')).exportCommand,
  central: async () => (await import('./cmd-central.ts')).centralCommand,
  join: async () => (await import('./cmd-join.ts')).joinCommand,
  sync: async () => (await import('./cmd-sync.ts')).syncCommand,
  scanners: async () => (await import('./cmd-scanners.ts')).scannersCommand,
  'scan-sim': async () => (await import('./cmd-scan-sim.ts')).scanSimCommand,
  'scale-sim': async () => (await import('./cmd-scale-sim.ts')).scaleSimCommand,
  backup: async () => (await import('./cmd-backup.ts')).backupCommand,
  restore: async () => (await import('./cmd-restore.ts')).restoreCommand,
  recover: async () => (await import('./cmd-recover.ts')).recoverCommand,
};

/** Each command's usage from the one table (usage.ts), with what it is for. */
function help(io: CliIo): void {
  io.out('baglink — BagLink Station command line\n');
  io.out('Usage: baglink <command> [options]   (every command takes --data-dir DIR and --help)\n');
  for (const { does, usage } of Object.values(commandHelp)) {
    // A usage of several lines is aligned for "Usage: "; here each line starts under the first.
    io.out(`  ${usage.replaceAll('\n       ', '\n  ')}\n      ${does}`);
  }
  io.out(`\nData folder default: ${defaultDataDir()} (or BAGLINK_DATA_DIR)`);
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(commands, name) ? commands[name as CommandName] : undefined;
  if (!load) {
    io.err(`There is no command "${name}": run "baglink help" to see the commands.`);
    return 2;
  }
  const command = await load();
  let dataDir = defaultDataDir();
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { 'data-dir': { type: 'string' }, help: { type: 'boolean' }, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(`${command.summary}\n\nUsage: ${command.usage}`);
      return 0;
    }
    dataDir = (values['data-dir'] as string | undefined) ?? dataDir;
    return await command.run({ dataDir, values, positionals, io });
  } catch (e) {
    if (e instanceof UsageError || e instanceof StationError) {
      io.err(e.message);
      return 2;
    }
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`${firstSentence(e.message)} (usage: ${command.usage}).`);
      return 2;
    }
    const code = String((e as { code?: unknown } | null)?.code ?? '');
    if (/^SQLITE_(CANTOPEN|READONLY|PERM)/.test(code)) {
      const reason = 'the station database cannot be opened or written there';
      io.err(formatError('data_dir_unusable', { path: dataDir, reason }));
      return 2;
    }
    const unusable = dataFolderFailure(e, dataDir);
    if (unusable) {
      io.err(unusable.message);
      return 2;
    }
    const failure = storeFailure(e, dataDir);
    if (failure) {
      io.err(failure.message);
      return 1;
    }
    io.err(`baglink ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/** Node's parseArgs explains itself in several sentences; the first says what is wrong. */
function firstSentence(message: string): string {
  return (message.split(/\.(?:\s|$)|\n/)[0] ?? message).trim();
}
