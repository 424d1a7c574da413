/**
 * A station process for the kill -9 tests: opens the queue on a database file, queues one label and reports each
 * change as a JSON line, then runs until it is killed.
 * Usage: node --import tsx/esm queue-child.ts DB_FILE PRINTER_PORT PARENT_CODE REPLY_TIMEOUT_MS
 */
import { PrintQueue } from '../queue.ts';
import { openPrinterTransport } from '../transport.ts';
import { openStationFile, parentLabel } from './queue-fixture.ts';

const [file, port, parentCode, replyTimeoutMs] = process.argv.slice(2);
const db = openStationFile(file ?? '');
const queue = new PrintQueue({
  db,
  transport: openPrinterTransport({ kind: 'tcp', host: '127.0.0.1', port: Number(port) }),
  options: { holdMs: 50, replyTimeoutMs: Number(replyTimeoutMs), pollIntervalMs: 0 },
  onChange: () => {
    const [job] = queue.jobsForParent(parentCode ?? '');
    if (job)
      process.stdout.write(JSON.stringify({ id: job.id, state: job.state, error: job.error?.code }) + '\n');
  },
});
queue.start();
const queued = queue.enqueueLabel(parentLabel(parentCode ?? ''), { layout: '4x2in', dpi: 203 }, 'completed');
if (!queued.ok) throw new Error(queued.error.message);
setInterval(() => undefined, 60_000);
