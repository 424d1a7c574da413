import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { ShellCustomScheme } from './electron-types.ts';
import { appHost, appScheme, desktopContentSecurityPolicy } from './security.ts';

/** Registered before the app is ready: app:// behaves like https (secure, standard origin, fetch works). */
export const appSchemePrivileges: ShellCustomScheme = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: true },
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

export interface AppFilesOptions {
  /** The built renderer (dist-renderer). */
  root: string;
  log(line: string): void;
}

/**
 * Serves app://station/<path> from the renderer build. The decoded path must stay inside root once symlinks
 * are followed; anything else is refused. A path with no file extension gets index.html (the renderer routes
 * it). With no build, every page is a message that says how to get one.
 */
export function createAppFileHandler(options: AppFilesOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed.');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return text(400, 'Bad address.');
    }
    if (url.protocol !== `${appScheme}:` || url.host !== appHost) return text(404, 'Not found.');
    const file = await resolveAppFile(options.root, url.pathname);
    if (file.kind === 'refused') {
      options.log(`protocol: refused ${url.pathname.slice(0, 200)}`);
      return text(400, 'Bad address.');
    }
    if (file.kind === 'no-build') return missingBuildPage(options.root);
    if (file.kind === 'not-found') return text(404, 'Not found.');
    const body = request.method === 'HEAD' ? null : await readFile(file.path);
    return new Response(body, { status: 200, headers: headers(contentTypeOf(file.path)) });
  };
}

export type AppFile =
  { kind: 'file'; path: string } | { kind: 'refused' } | { kind: 'not-found' } | { kind: 'no-build' };

/** Maps a URL path to a file under root, refusing traversal, NUL bytes and symlinks that leave root. */
export async function resolveAppFile(root: string, pathname: string): Promise<AppFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'refused' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused' };
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined) return { kind: 'no-build' };
  const candidate = resolve(realRoot, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (!isInside(realRoot, candidate)) return { kind: 'refused' };
  const index = await insideFile(realRoot, join(realRoot, 'index.html'));
  if (index === 'outside') return { kind: 'refused' };
  if (index === undefined) return { kind: 'no-build' };
  const found = await insideFile(realRoot, candidate);
  if (found === 'outside') return { kind: 'refused' };
  if (found !== undefined) return { kind: 'file', path: found };
  // Renderer routes (/scan, /bills/42) have no extension; a missing asset does and stays a 404.
  return extname(candidate) === '' ? { kind: 'file', path: index } : { kind: 'not-found' };
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + sep);
}

async function insideFile(root: string, candidate: string): Promise<string | 'outside' | undefined> {
  try {
    const real = await realpath(candidate);
    if (!isInside(root, real)) return 'outside';
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function contentTypeOf(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function headers(contentType: string): Headers {
  return new Headers({
    'content-type': contentType,
    'content-security-policy': desktopContentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: headers('text/plain; charset=utf-8') });
}

/** Shown instead of the screens when dist-renderer has no index.html. No script, no inline style. */
export function missingBuildPage(root: string): Response {
  const escaped = root.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BagLink Station: screens not built</title></head>
<body><h1>The station's screens are not built.</h1>
<p>This copy of BagLink Station has no screens in <code>${escaped}</code>: run <code>npm run build:renderer</code>
(or reinstall BagLink Station) and start it again. Scans already stored are safe.</p></body></html>
`;
  return new Response(html, { status: 503, headers: headers('text/html; charset=utf-8') });
}
