import { createSyncEngine } from '../sync/engine.ts';
import { progressLine, throttled } from '../sync/progress.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './io.ts';
import { commandHelp } from './usage.ts';

/** For IT: one sync cycle now (upload the outbox, then download the centre's changes), in this process. */
export const syncCommand: Command = {
  summary:
    'Syncs this station with its centre once: pushes the outbox, then pulls the changes of other stations.',
  usage: commandHelp.sync.usage,
  options: { once: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    if (!values.once) throw new UsageError(`Usage: ${syncCommand.usage}`);
    // How far a first load or a large catch-up is, on stderr (stdout stays the result, or --json).
    const engine = createSyncEngine({
      dataDir,
      onProgress: throttled((p) => io.err(progressLine(p)), 1000),
    });
    try {
      let failed: Error | null = null;
      let counts = { pushed: 0, pulled: 0 };
      try {
        counts = await engine.cycle();
      } catch (e) {
        failed = e as Error;
      }
      const state = engine.state({ state: failed ? 'retrying' : 'idle', nextAttemptAt: null });
      if (values.json) io.out(JSON.stringify({ ...counts, ...state }, null, 2));
      else {
        io.out(`Pushed ${counts.pushed}, pulled ${counts.pulled}; outbox ${state.outbox.depth} waiting.`);
        if (state.conflicts > 0) io.out(`${state.conflicts} conflict(s) wait for a supervisor.`);
      }
      if (failed) {
        io.err(failed.message);
        return 1;
      }
      return 0;
    } finally {
      await engine.close();
    }
  },
};
