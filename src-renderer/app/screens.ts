import type { ComponentType } from 'react';
import type { Role } from '../../src-shared/domain.ts';
import type { Command } from '../../src-shared/commands.ts';
import { AuditScreen } from '../screens/AuditScreen.tsx';
import { BarcodesScreen } from '../screens/BarcodesScreen.tsx';
import { BillsScreen } from '../screens/BillsScreen.tsx';
import { ConflictsScreen } from '../screens/ConflictsScreen.tsx';
import { DashboardScreen } from '../screens/DashboardScreen.tsx';
import { LookupScreen } from '../screens/LookupScreen.tsx';
import { ScanScreen } from '../screens/ScanScreen.tsx';
import { SettingsScreen } from '../screens/SettingsScreen.tsx';
import { UsersScreen } from '../screens/UsersScreen.tsx';

/** What the shell hands every screen; a screen takes the part it needs. */
export interface ScreenProps {
  /** The operator's role: a screen may offer more to a higher role (look-up's child moves to a supervisor). */
  role: Role;
  /** Bumped after undo or complete, a session change or the link coming back: the screens read the station again. */
  changes: number;
  /** The scan screen's Undo and Complete buttons run the same commands as the printed barcodes. */
  onCommand: (command: Command) => Promise<void>;
}

interface ScreenEntry {
  id: string;
  /** The least role that may see it: a dock worker's menu never lists a supervisor screen. */
  role: Role;
  component: ComponentType<ScreenProps>;
  /** Its name in the tabs and its page heading, in the language files. */
  titleKey: `nav.${string}`;
}

/**
 * Every screen, in menu order: the tabs, the role gate and the screen on show all read this table. A new screen
 * is its component, a row here, and its name in the two language files.
 */
export const screens = [
  { id: 'scan', role: 'dock', component: ScanScreen, titleKey: 'nav.scan' },
  { id: 'lookup', role: 'dock', component: LookupScreen, titleKey: 'nav.lookup' },
  { id: 'bills', role: 'supervisor', component: BillsScreen, titleKey: 'nav.bills' },
  { id: 'dashboard', role: 'supervisor', component: DashboardScreen, titleKey: 'nav.dashboard' },
  { id: 'conflicts', role: 'supervisor', component: ConflictsScreen, titleKey: 'nav.conflicts' },
  { id: 'audit', role: 'supervisor', component: AuditScreen, titleKey: 'nav.audit' },
  { id: 'barcodes', role: 'supervisor', component: BarcodesScreen, titleKey: 'nav.barcodes' },
  { id: 'users', role: 'admin', component: UsersScreen, titleKey: 'nav.users' },
  { id: 'settings', role: 'admin', component: SettingsScreen, titleKey: 'nav.settings' },
] as const satisfies readonly ScreenEntry[];

export type ScreenId = (typeof screens)[number]['id'];
export type Screen = (typeof screens)[number];

/** The table's row for a screen id (the scan screen, which every role sees, for an id not in it). */
export function screenOf(id: ScreenId): Screen {
  return screens.find((s) => s.id === id) ?? screens[0];
}
