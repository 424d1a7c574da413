import { describe, expect, it } from 'vitest';
import {
  denyAllPermissions,
  desktopContentSecurityPolicy,
  hardenWebContents,
  isAllowedExternal,
  isAppUrl,
  isTrustedFrame,
  isTrustedSender,
  secureWebPreferences,
} from './security.ts';
import { FakeEvent, FakeSession, FakeWebContents, frame } from './testing/fake-electron.ts';

function hardened(allowlist: string[] = []) {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  const log: string[] = [];
  hardenWebContents(contents, {
    externalAllowlist: allowlist,
    openExternal: (url) => opened.push(url),
    log: (line) => log.push(line),
  });
  return { contents, opened, log };
}

describe('security checklist', () => {
  it('turns on context isolation and the sandbox, and turns off Node, webviews and insecure content', () => {
    const prefs = secureWebPreferences('/app/preload.cjs', false);
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      devTools: false,
    });
  });

  it('has a strict CSP: nothing by default, own scripts only, no inline script or eval, no frames', () => {
    const directives = new Map(
      desktopContentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(desktopContentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:|ws:/);
  });

  it('denies every permission request, permission check and device request', () => {
    const session = new FakeSession();
    denyAllPermissions(session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen']) {
      session.requestHandler!(undefined, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(session.checkHandler!(undefined, 'serial')).toBe(false);
    expect(session.checkHandler!(undefined, 'media')).toBe(false);
    expect(session.deviceHandler!({ deviceType: 'usb' })).toBe(false);
  });

  it('keeps the page on app://station: navigation elsewhere and every redirect are blocked', () => {
    const { contents, log } = hardened();
    expect(contents.navigate('will-navigate', 'app://station/bills')).toBe(true);
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(false);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(false);
    expect(contents.navigate('will-navigate', 'app://other/')).toBe(false);
    expect(contents.navigate('will-redirect', 'app://station/')).toBe(false);
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(false);
    const frameNav = new FakeEvent('https://evil.example/frame');
    contents.emit('will-frame-navigate', frameNav);
    expect(frameNav.defaultPrevented).toBe(true);
    expect(log.filter((l) => l.includes('blocked'))).toHaveLength(6);
  });

  it('prevents every webview from attaching', () => {
    const { contents } = hardened();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies window.open, and opens only exact allowlisted https links in the system browser', () => {
    const help = 'https://help.example.com/station';
    const { contents, opened } = hardened([help]);
    const open = contents.windowOpenHandler!;
    for (const url of [
      'https://evil.example/',
      'file:///C:/Windows/System32/calc.exe',
      'http://help.example.com/station',
      `${help}/../../other`,
      'https://user@help.example.com/station',
      'javascript:alert(1)',
      'not a url',
      help,
    ]) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([help]);
  });

  it('decides external links on the parsed URL, never on a prefix', () => {
    expect(isAllowedExternal('https://help.example.com/station', ['https://help.example.com/station'])).toBe(
      true,
    );
    expect(
      isAllowedExternal('https://help.example.com/station.evil', ['https://help.example.com/station']),
    ).toBe(false);
    expect(isAllowedExternal('smb://server/share', ['smb://server/share'])).toBe(false);
  });

  it('trusts only the top frame of app://station', () => {
    expect(isAppUrl('app://station/index.html')).toBe(true);
    expect(isAppUrl('app://station.evil/')).toBe(false);
    expect(isAppUrl('https://station/')).toBe(false);
    expect(isAppUrl('')).toBe(false);
    const top = frame('app://station/');
    expect(isTrustedFrame(top)).toBe(true);
    expect(isTrustedFrame(frame('app://station/', top))).toBe(false);
    expect(isTrustedFrame(frame('https://evil.example/'))).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
  });

  it('refuses an IPC sender whose frame is not the main frame of its contents', () => {
    const contents = new FakeWebContents('app://station/');
    expect(isTrustedSender({ sender: contents, senderFrame: contents.mainFrame })).toBe(true);
    // The same frame in another wrapper object is still the main frame.
    expect(isTrustedSender({ sender: contents, senderFrame: { ...contents.mainFrame } })).toBe(true);
    expect(isTrustedSender({ sender: contents, senderFrame: frame('app://station/') })).toBe(false);
    expect(isTrustedSender({ sender: contents, senderFrame: null })).toBe(false);
  });
});
