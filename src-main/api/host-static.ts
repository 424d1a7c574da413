import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendError, sendMethodNotAllowed } from './host-http.ts';

/** Shown at '/' until a renderer build exists; the same path works from src-main/api and dist-main/api. */
export const placeholderPage = fileURLToPath(
  new URL('../../resources/placeholder/index.html', import.meta.url),
);
/** Shown while `baglink serve` builds the screens; it reloads itself every few seconds. */
export const buildingPage = fileURLToPath(
  new URL('../../resources/placeholder/building.html', import.meta.url),
);
const buildingScript = fileURLToPath(new URL('../../resources/placeholder/building.js', import.meta.url));
/** The building page's Hindi line needs a Devanagari font before the screens (which bundle it) exist. */
const buildingFont = fileURLToPath(
  new URL(
    '../../node_modules/@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-400-normal.woff2',
    import.meta.url,
  ),
);

/** Whether the screens can be served: still building on a fresh clone, or a build that failed. */
export type ScreensState = () => 'ready' | 'building' | 'failed';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

export interface StaticFiles {
  /** The real renderer folder, or undefined when the placeholder page is served instead. */
  root: string | undefined;
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

export async function openStaticFiles(
  staticDir: string | undefined,
  log: (line: string) => void,
  screensState: ScreensState = () => 'ready',
) {
  let root = staticDir === undefined ? undefined : await existingDirectory(staticDir);
  if (root === undefined && screensState() === 'ready')
    log(`static: no renderer build${staticDir ? ` at ${staticDir}` : ''}; serving placeholder`);
  const files: StaticFiles = {
    get root() {
      return root;
    },
    async serve(req, res, path) {
      if (screensState() === 'building') {
        if (path === '/building.js') return sendFile(req, res, buildingScript);
        if (path === '/building-font.woff2') {
          return existsSync(buildingFont) ? sendFile(req, res, buildingFont) : sendError(res, 'bad_request');
        }
        return sendBuilding(req, res);
      }
      // A build that finished after the start lands in staticDir: look for it again until it is there.
      if (root === undefined && staticDir !== undefined) root = await existingDirectory(staticDir);
      return serveStatic(root, req, res, path);
    },
  };
  return files;
}

/** 503 with Retry-After, so nothing caches it; the page itself reloads until the screens are there. */
async function sendBuilding(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendMethodNotAllowed(res, 'GET, HEAD');
  const body = await readFile(buildingPage);
  res.writeHead(503, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'Retry-After': '3',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * GET a file under root. Unknown paths get index.html so the renderer's own router can show them. The path is
 * decoded, resolved, and must stay inside root after symlinks are followed; anything else is refused.
 */
async function serveStatic(
  root: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendMethodNotAllowed(res, 'GET, HEAD');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return sendError(res, 'bad_request');
  }
  if (root === undefined) return sendFile(req, res, placeholderPage);
  const candidate = resolve(root, `.${decoded}`);
  if (decoded.includes('\0') || !isInside(root, candidate)) return sendError(res, 'bad_request');
  const file = (await insideFile(root, candidate)) ?? (await insideFile(root, join(root, 'index.html')));
  return sendFile(req, res, file ?? placeholderPage);
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + sep);
}

/** The file's real path when it is a regular file still inside root once symlinks are followed. */
async function insideFile(root: string, candidate: string): Promise<string | undefined> {
  try {
    const real = await realpath(candidate);
    return isInside(root, real) && (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

async function existingDirectory(dir: string): Promise<string | undefined> {
  try {
    const real = await realpath(dir);
    return (await stat(real)).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
  const body = await readFile(file);
  res.writeHead(200, {
    'Content-Type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
