import { createSyncEngine } from '../sync/engine.ts';
import { progressLine, throttled } from '../sync/progress.ts';
import type { Command, CommandContext } from './command.ts';
import { commandHelp } from './usage.ts';

/**
 * For IT, on a station whose history differs from the centre's (restored from a backup by hand): recovers it
 * now, in this process.
 */
export const recoverCommand: Command = {
  summary:
    "Recovers a station whose history differs from the centre's (restored from a backup): a new incarnation at the centre (any other copy of this station is shut out), its unsent changes sent once, and what the centre holds for it loaded back. Not for a second PC using the same enrolment: enrol that one as a new station.",
  usage: commandHelp.recover.usage,
  options: { json: { type: 'boolean' } },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    // The reload of the centre's rows and of own scans says how far it is on stderr, as "sync --once" does.
    const engine = createSyncEngine({
      dataDir,
      onProgress: throttled((p) => io.err(progressLine(p)), 1000),
    });
    try {
      const r = await engine.recover();
      if (values.json) io.out(JSON.stringify(r, null, 2));
      else {
        io.out(
          `Recovered as incarnation ${r.incarnation}: ${r.alreadyApplied} change(s) were already at the centre, ${r.renumbered} sent after its change ${r.base}.`,
        );
        io.out(`Pushed ${r.pushed}, pulled ${r.pulled}.`);
      }
      return 0;
    } catch (e) {
      io.err((e as Error).message);
      return 1;
    } finally {
      await engine.close();
    }
  },
};
