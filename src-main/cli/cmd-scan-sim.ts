import { parseScanSimArgs, runScanSim } from '../scanner/sim.ts';
import { UsageError } from './io.ts';
import type { Command, CommandContext } from './command.ts';
import { commandHelp } from './usage.ts';

export const scanSimCommand: Command = {
  summary:
    'Plays a serial scanner for demos and tests: writes codes (from the arguments, or one per line from standard ' +
    'input) with a terminator and a rate into a port, e.g. the other end of a socat pty pair.',
  usage: commandHelp['scan-sim'].usage,
  options: {
    port: { type: 'string' },
    terminator: { type: 'string' },
    rate: { type: 'string' },
    baud: { type: 'string' },
  },
  async run({ values, positionals, io }: CommandContext): Promise<number> {
    const argv: string[] = [];
    for (const flag of ['port', 'terminator', 'rate', 'baud'] as const) {
      const value = values[flag];
      if (typeof value === 'string') argv.push(`--${flag}`, value);
    }
    let options;
    try {
      options = parseScanSimArgs([...argv, ...positionals], io.stdin);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const written = await runScanSim(options);
    io.out(`Wrote ${written} code${written === 1 ? '' : 's'} to ${options.port}.`);
    return 0;
  },
};
