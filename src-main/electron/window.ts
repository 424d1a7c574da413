import type { ShellWindow, ShellWindowConstructor, ShellWindowOptions } from './electron-types.ts';
import { secureWebPreferences } from './security.ts';

export interface StationWindowOptions {
  preload: string;
  kiosk: boolean;
  fullscreen: boolean;
  devTools: boolean;
  icon?: string;
}

/** The one window: sized for a dock PC, dark until painted, secure preferences, kiosk when the admin says so. */
export function stationWindowOptions(o: StationWindowOptions): ShellWindowOptions {
  return {
    title: 'BagLink Station',
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false,
    kiosk: o.kiosk,
    fullscreen: o.kiosk || o.fullscreen,
    autoHideMenuBar: true,
    backgroundColor: '#101418',
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: secureWebPreferences(o.preload, o.devTools),
  };
}

export function createStationWindow(
  BrowserWindow: ShellWindowConstructor,
  o: StationWindowOptions,
): ShellWindow {
  const window = new BrowserWindow(stationWindowOptions(o));
  window.once('ready-to-show', () => window.show());
  return window;
}

/** A second launch brings the running window to the front instead of opening another station. */
export function bringToFront(window: ShellWindow | undefined): void {
  if (window === undefined || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
