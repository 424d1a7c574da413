/**
 * The export worker, one per export (see export-runner.ts): builds the file on its own read-only snapshot, in
 * its own thread, so a large XLSX or PDF never holds up scans or /health on the station's event loop.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { runExportJob, type ExportJob } from './export-job.ts';
import type { FromExportWorker } from './export-runner.ts';
import { BufferOutput } from './output.ts';
import { StationError } from '../../src-shared/errors.ts';

// Scans come first: on Linux a thread has its own nice value, so this lowers the export thread alone and the
// station's event loop keeps its core. (Elsewhere it would lower the whole process: left as it is there.)
if (process.platform === 'linux') {
  try {
    setPriority(10);
  } catch {
    // Not allowed here: the export still runs, at the station's priority.
  }
}

const port = parentPort!;
const out = new BufferOutput();
let answer: FromExportWorker;
try {
  const done = await runExportJob(workerData as ExportJob, out);
  answer = { ok: true, done, bytes: out.buffer() };
} catch (e) {
  const error = e as Error & { code?: unknown };
  answer = {
    ok: false,
    error:
      e instanceof StationError
        ? { code: e.code, params: e.params }
        : { message: error.message ?? String(e), errno: typeof error.code === 'string' ? error.code : null },
  };
}
port.postMessage(answer);
