/** The part of electron-updater's autoUpdater the shell uses (a stand-in in tests). */
export interface StationUpdater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
}

export interface UpdateOptions {
  updater: StationUpdater;
  /** The LAN folder IT publishes to (latest.yml / latest-linux.yml next to the installers). */
  url: string | undefined;
  log(line: string): void;
  /** Default every 6 hours. */
  intervalMs?: number;
}

/**
 * Updates from a folder on the LAN (electron-updater, generic provider). An update is downloaded in the
 * background and installed when the app next quits, never in the middle of a shift. No URL, no checks.
 */
export function startUpdates(o: UpdateOptions): { stop(): void } {
  if (o.url === undefined) {
    o.log('updates: no updateUrl in desktop.json; not checking');
    return { stop() {} };
  }
  o.updater.autoDownload = true;
  o.updater.autoInstallOnAppQuit = true;
  o.updater.setFeedURL({ provider: 'generic', url: o.url });
  o.updater.on('error', (error) => o.log(`updates: ${error.message}`));
  o.updater.on('update-downloaded', (info) => o.log(`updates: ${info.version} downloaded; installs on quit`));
  const check = () => {
    o.updater.checkForUpdates().catch((e: unknown) => o.log(`updates: check failed: ${String(e)}`));
  };
  check();
  const timer = setInterval(check, o.intervalMs ?? 6 * 60 * 60 * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
