// electron-builder afterPack hook: put the Node build of better-sqlite3 back and flip the Electron fuses
// (see scripts/packaging.ts).
import { register } from 'tsx/esm/api';

register();
const hooks = await import('../scripts/packaging.ts');

export default async function afterPack(context) {
  await hooks.afterPack(context);
}
