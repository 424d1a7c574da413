// electron-builder beforePack hook: rebuild better-sqlite3 for Electron's ABI (see scripts/packaging.ts).
import { register } from 'tsx/esm/api';

register();
const hooks = await import('../scripts/packaging.ts');

export default async function beforePack(context) {
  await hooks.beforePack(context);
}
