// Worker threads do not inherit the tsx loader of bin/baglink.js: register it here, then load the worker.
// The bundles (bin/baglink.js, scripts/build-main.ts) put the built worker at this same name instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
