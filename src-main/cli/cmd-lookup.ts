import { storyOf } from '../core/lookup-service.ts';
import { normalizeCode } from '../core/normalize.ts';
import { createStation } from '../app/station.ts';
import { UsageError } from './io.ts';
import type { Command, CommandContext } from './command.ts';
import { commandHelp } from './usage.ts';

const time = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19);

export const lookupCommand: Command = {
  summary: "Prints a code's whole story: the bag, its parent or children, its bill and its scans.",
  usage: commandHelp.lookup.usage,
  options: { json: { type: 'boolean' } },
  async run({ dataDir, values, positionals, io }: CommandContext): Promise<number> {
    const raw = positionals[0];
    if (!raw) throw new UsageError(`Give the code to look up: ${lookupCommand.usage}`);
    const station = createStation({ dataDir });
    try {
      const story = storyOf(station.ctx, normalizeCode(raw).code);
      if (values.json) {
        io.out(JSON.stringify(story, null, 2));
        return story.bag || story.history.length ? 0 : 1;
      }
      if (!story.bag) io.out(`${story.code}: no such bag on this station.`);
      else
        io.out(
          `${story.code}: ${story.bag.kind} bag, area ${story.bag.dispatchArea}, first seen ${time(story.bag.firstSeenAt)}`,
        );
      if (story.parent)
        io.out(
          `  in parent ${story.parent.code} (${story.parent.childCount} bags) since ${time(story.parent.linkedAt)}`,
        );
      if (story.bag?.kind === 'parent')
        io.out(`  children (${story.children.length}): ${story.children.map((c) => c.code).join(' ')}`);
      if (story.bill)
        io.out(`  on bill ${story.bill.billNo} (${story.bill.status}) to ${story.bill.destination}`);
      for (const s of story.history) {
        io.out(
          `  ${time(s.at)}  ${s.action.padEnd(9)} ${s.outcome.padEnd(14)} ${s.username ?? '-'} ${s.reason ?? ''}`,
        );
      }
      return story.bag || story.history.length ? 0 : 1;
    } finally {
      station.close();
    }
  },
};
