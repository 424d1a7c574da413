import type { Role } from '../../src-main/core/types.ts';

/** Every screen and the least role that may see it; a dock worker's menu never lists a supervisor screen. */
export const screens = [
  { id: 'scan', role: 'dock' },
  { id: 'lookup', role: 'dock' },
  { id: 'bills', role: 'supervisor' },
  { id: 'dashboard', role: 'supervisor' },
  { id: 'conflicts', role: 'supervisor' },
  { id: 'audit', role: 'supervisor' },
  { id: 'barcodes', role: 'supervisor' },
  { id: 'users', role: 'admin' },
  { id: 'settings', role: 'admin' },
] as const satisfies readonly { id: string; role: Role }[];

export type ScreenId = (typeof screens)[number]['id'];
