import { parseScaleSimArgs, startScaleSim } from '../scale/sim.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './io.ts';
import { commandHelp } from './usage.ts';

const FLAGS = ['port', 'protocol', 'kg', 'unstable-ms', 'unit', 'baud'] as const;
const SWITCHES = ['overload', 'checksum'] as const;

export const scaleSimCommand: Command = {
  summary:
    'Plays a platform scale for demos and tests on a port, e.g. the other end of a socat pty pair: answers ' +
    'MT-SICS requests (sics), streams Toledo continuous frames (continuous) or ST,GS,+0029.40kg lines (ascii), ' +
    'until Ctrl-C or until the port goes away.',
  usage: commandHelp['scale-sim'].usage,
  options: {
    ...Object.fromEntries(FLAGS.map((flag) => [flag, { type: 'string' as const }])),
    ...Object.fromEntries(SWITCHES.map((flag) => [flag, { type: 'boolean' as const }])),
  },
  async run({ values, io }: CommandContext): Promise<number> {
    const argv: string[] = [];
    for (const flag of FLAGS) if (typeof values[flag] === 'string') argv.push(`--${flag}=${values[flag]}`);
    for (const flag of SWITCHES) if (values[flag] === true) argv.push(`--${flag}`);
    let options;
    try {
      options = parseScaleSimArgs(argv);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const sim = await startScaleSim(options);
    const stop = (): void => void sim.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const state = options.overload ? 'overloaded' : `${options.kg} kg, shown in ${options.unit}`;
    const wobble = options.unstableMs > 0 ? `, unstable for the first ${options.unstableMs} ms` : '';
    io.out(`Playing a ${options.protocol} scale on ${options.port}: ${state}${wobble}. Ctrl-C stops.`);
    await sim.stopped;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return 0;
  },
};
