/**
 * electron-builder hooks (wired in electron-builder.yml through build/before-pack.mjs and build/after-pack.mjs).
 *
 * beforePack: better-sqlite3 is compiled for Node here (tests, `baglink`); the packaged app needs it built for
 * Electron's ABI. Never in postinstall (that breaks it under Node): the Node build is set aside, the module is
 * rebuilt for Electron (a prebuilt binary where one exists), electron-builder packs it, and afterPack puts the
 * Node build back.
 * afterPack: flips the Electron fuses on the packaged binary, before any signing.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

/** Every fuse set on purpose (strictlyRequireAllFuses fails the build when Electron adds one). */
export const stationFuses = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general Node runtime.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect would let anyone who can start the app run code inside it.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app code is only the checked app.asar (integrity is enforced on Windows and macOS).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} satisfies FuseV1Config;

/** What the hooks read from electron-builder's PackContext. */
export interface PackHookContext {
  appOutDir: string;
  electronPlatformName: string;
  /** electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal. */
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string; projectDir: string };
}

const archNames = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export function archName(arch: number): string {
  const name = archNames[arch];
  if (name === undefined) throw new Error(`Unknown electron-builder arch ${arch}.`);
  return name;
}

/** The packaged Electron binary whose fuses are flipped. */
export function electronBinaryPath(context: PackHookContext): string {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName ?? name);
}

const nativeModule = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const backupDir = join('node_modules', '.cache', 'baglink');
const nodeBuildBackup = join(backupDir, 'better_sqlite3.node-for-node');

export function electronVersion(projectDir: string): string {
  const pkg = JSON.parse(readFileSync(join(projectDir, 'node_modules', 'electron', 'package.json'), 'utf8'));
  return (pkg as { version: string }).version;
}

export async function beforePack(context: PackHookContext): Promise<void> {
  const projectDir = context.packager.projectDir;
  const built = join(projectDir, nativeModule);
  if (existsSync(built)) {
    mkdirSync(join(projectDir, backupDir), { recursive: true });
    copyFileSync(built, join(projectDir, nodeBuildBackup));
  }
  const { rebuild } = await import('@electron/rebuild');
  const version = electronVersion(projectDir);
  const arch = archName(context.arch);
  console.log(
    `beforePack: rebuilding better-sqlite3 for Electron ${version} (${context.electronPlatformName} ${arch})`,
  );
  await rebuild({
    buildPath: projectDir,
    electronVersion: version,
    platform: context.electronPlatformName as NodeJS.Platform,
    arch,
    onlyModules: ['better-sqlite3'],
    force: true,
  });
}

export async function afterPack(context: PackHookContext): Promise<void> {
  const projectDir = context.packager.projectDir;
  const backup = join(projectDir, nodeBuildBackup);
  if (existsSync(backup)) copyFileSync(backup, join(projectDir, nativeModule));
  const binary = electronBinaryPath(context);
  console.log(`afterPack: flipping fuses on ${binary}`);
  await flipFuses(binary, stationFuses);
}
