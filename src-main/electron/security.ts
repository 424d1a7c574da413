import type {
  ShellFrame,
  ShellIpcMainInvokeEvent,
  ShellSession,
  ShellWebContents,
  ShellWebPreferences,
} from './electron-types.ts';

/** The renderer's only origin: app://station/... (see app-protocol.ts). */
export const appScheme = 'app';
export const appHost = 'station';
export const appStartUrl = `${appScheme}://${appHost}/`;

/**
 * Sent with every app:// response. Stricter than the browser-mode host: no sockets (the station is reached over
 * IPC), no inline script or style, no frames, no forms.
 */
export const desktopContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The renderer gets no Node, runs in Chromium's sandbox, and sees only what the preload exposes. */
export function secureWebPreferences(preload: string, devTools: boolean): ShellWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  };
}

/** True only for app://station/... URLs; anything unparsable is untrusted. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}

/** An IPC message is trusted only from the top frame of the app's own page. */
export function isTrustedFrame(frame: ShellFrame | null | undefined): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

/** Compared by frame id, not object identity, so a re-wrapped frame object still matches. */
export function isTrustedSender(event: ShellIpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isTrustedFrame(frame) && frame!.frameTreeNodeId === event.sender.mainFrame.frameTreeNodeId;
}

/** The station needs no camera, microphone, notifications, serial or USB from the page: refuse them all. */
export function denyAllPermissions(session: ShellSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export interface HardenOptions {
  /** Called for a link the page tried to open; never given a URL that is not on the allowlist. */
  openExternal(url: string): void;
  /** Exact URLs (e.g. the help page set by an admin) that may open in the system browser. */
  externalAllowlist: readonly string[];
  log(line: string): void;
}

/**
 * Applied to every web contents the app creates: the page may not navigate away, follow a redirect, attach a
 * webview or open a window. A link on the allowlist opens in the system browser; nothing else is ever opened.
 */
export function hardenWebContents(contents: ShellWebContents, options: HardenOptions): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      options.log(`security: navigation to ${url.slice(0, 200)} blocked`);
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      options.log(`security: frame navigation to ${event.url.slice(0, 200)} blocked`);
    }
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    options.log(`security: redirect to ${url.slice(0, 200)} blocked`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.log('security: webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url, options.externalAllowlist)) options.openExternal(url);
    else options.log(`security: window.open(${url.slice(0, 200)}) denied`);
    return { action: 'deny' };
  });
}

/** Only exact https URLs on the allowlist, so the page can never make the shell open a file or a program. */
export function isAllowedExternal(url: string, allowlist: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && allowlist.includes(parsed.href);
}
