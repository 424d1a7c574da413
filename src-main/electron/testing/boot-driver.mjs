// Boots a main-process bundle the way Electron does: evaluate the entry module first, emit 'ready' after.
// An entry that awaits whenReady() at top level therefore never finishes, as it would hang in Electron.
import { pathToFileURL } from 'node:url';

const electron = await import('electron');
await import(pathToFileURL(process.argv[2]).href);
electron.app.markReady();
