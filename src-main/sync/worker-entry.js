// Worker threads do not inherit the tsx loader of bin/baglink.js: register it here, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
