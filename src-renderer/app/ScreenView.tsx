import { useTranslation } from 'react-i18next';
import type { Role } from '../../src-main/core/types.ts';
import { AuditScreen } from '../screens/AuditScreen.tsx';
import { BarcodesScreen } from '../screens/BarcodesScreen.tsx';
import { BillsScreen } from '../screens/BillsScreen.tsx';
import { ConflictsScreen } from '../screens/ConflictsScreen.tsx';
import { DashboardScreen } from '../screens/DashboardScreen.tsx';
import { LookupScreen } from '../screens/LookupScreen.tsx';
import { ScanScreen } from '../screens/ScanScreen.tsx';
import { SettingsScreen } from '../screens/SettingsScreen.tsx';
import { UsersScreen } from '../screens/UsersScreen.tsx';
import type { Command } from '../scan/commands.ts';
import { screens, type ScreenId } from './screens.ts';
import { hasRole } from './station-context.tsx';

interface Props {
  screen: ScreenId;
  role: Role;
  notice: string | null;
  onNotice: (text: string | null) => void;
  onScreen: (screen: ScreenId) => void;
  /** Bumped after undo or complete, so the scan screen reads the station again. */
  changes: number;
  /** The scan screen's Undo and Complete buttons run the same commands as the printed barcodes. */
  onCommand: (command: Command) => Promise<void>;
}

/** The screen on show; a screen above the operator's role is never rendered, whatever asked for it. */
export function ScreenView({ screen, role, notice, onNotice, changes, onCommand }: Props) {
  const { t } = useTranslation();
  const needed = screens.find((s) => s.id === screen)?.role ?? 'admin';
  const shown = hasRole(role, needed) ? screen : 'scan';
  return (
    <>
      {notice && (
        <div className="notice-bar" role="status">
          <span>{notice}</span>
          <button type="button" className="button button-quiet" onClick={() => onNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      <div key={shown} data-testid={`screen-${shown}`} className="screen-wrap">
        {/* The page's one top-level heading: the screen's name (the tabs show it; a screen reader needs it). */}
        <h1 className="visually-hidden">{t(`nav.${shown}`)}</h1>
        {shown === 'scan' && <ScanScreen changes={changes} onCommand={onCommand} />}
        {shown === 'lookup' && <LookupScreen canEditLinks={hasRole(role, 'supervisor')} />}
        {shown === 'bills' && <BillsScreen />}
        {shown === 'dashboard' && <DashboardScreen />}
        {shown === 'conflicts' && <ConflictsScreen />}
        {shown === 'audit' && <AuditScreen />}
        {shown === 'barcodes' && <BarcodesScreen />}
        {shown === 'users' && <UsersScreen />}
        {shown === 'settings' && <SettingsScreen />}
      </div>
    </>
  );
}
