// Node module hook for the bundle boot test: `import 'electron'` resolves to the stand-in electron-module.ts.
// Used as `node --import ./electron-loader.mjs --import tsx/esm ./boot-driver.mjs dist-main/electron/main.js`.
import { register } from 'node:module';

const stand_in = new URL('./electron-module.ts', import.meta.url).href;
const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: ${JSON.stringify(stand_in)}, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
