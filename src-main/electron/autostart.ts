import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShellApp } from './electron-types.ts';

export interface AutoStartTarget {
  platform: NodeJS.Platform;
  /** The program to start: the AppImage when run from one, else the installed executable. */
  executable: string;
  /** ~/.config on Linux (XDG_CONFIG_HOME). */
  configHome: string;
}

export const linuxAutostartFile = 'baglink-station.desktop';

/**
 * Start at login, as the admin set it in desktop.json. Windows and macOS keep it in the OS login items;
 * Linux desktops read ~/.config/autostart/*.desktop (Electron's login items do nothing there).
 */
export function applyAutoStart(
  app: Pick<ShellApp, 'setLoginItemSettings'>,
  enabled: boolean,
  target: AutoStartTarget,
): void {
  if (target.platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin: enabled });
    return;
  }
  const folder = join(target.configHome, 'autostart');
  const file = join(folder, linuxAutostartFile);
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, linuxAutostartEntry(target.executable));
}

export function linuxAutostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=BagLink Station',
    'Comment=Bag scanning station',
    `Exec=${quoted}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}
