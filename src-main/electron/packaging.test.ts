import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drawIcon, iconSizes } from '../../scripts/draw-icons.ts';
import { afterPack, archName, electronBinaryPath, stationFuses } from '../../scripts/packaging.ts';

/** How a fuse reads on the wire: ASCII '0' off, '1' on (@electron/fuses does not export its FuseState). */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 };

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const builderConfig = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as any;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'baglink-pack-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Electron fuses', () => {
  it('turn off run-as-node, NODE_OPTIONS and inspect, and turn on asar integrity and asar-only loading', () => {
    expect(stationFuses).toMatchObject({
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
  });

  it('are flipped by the afterPack hook on the packaged binary', async () => {
    // A binary with Electron's fuse wire at its defaults: sentinel, version 1, 8 fuses.
    const wire = Buffer.concat([
      Buffer.from('\x7fELF...'),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, 8]),
      Buffer.from('10110001'),
      Buffer.from('...rest of the binary'),
    ]);
    writeFileSync(join(dir, 'baglink-station'), wire);
    const context = {
      appOutDir: dir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: {
        appInfo: { productFilename: 'BagLink Station' },
        executableName: 'baglink-station',
        projectDir: dir,
      },
    };
    await afterPack(context);
    const fuses = await getCurrentFuseWire(join(dir, 'baglink-station'));
    expect(fuses[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
  });

  it('find the binary for each platform', () => {
    const packager = {
      appInfo: { productFilename: 'BagLink Station' },
      executableName: 'baglink-station',
      projectDir: dir,
    };
    const at = (electronPlatformName: string) =>
      electronBinaryPath({ appOutDir: '/out', electronPlatformName, arch: 1, packager });
    expect(at('linux')).toBe('/out/baglink-station');
    expect(at('win32')).toBe('/out/BagLink Station.exe');
    expect(at('darwin')).toBe('/out/BagLink Station.app');
    expect(archName(3)).toBe('arm64');
    expect(() => archName(9)).toThrow(/Unknown/);
  });
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(builderConfig, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('never rebuilds natives on install, unpacks them from the asar, and wires both hooks', () => {
    expect(builderConfig.npmRebuild).toBe(false);
    expect(builderConfig.asarUnpack).toContain('**/*.node');
    expect(builderConfig.extraMetadata.main).toBe('dist-main/electron/main.js');
    for (const hook of [builderConfig.beforePack, builderConfig.afterPack]) {
      expect(existsSync(join(root, hook))).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.scripts)).not.toContain('postinstall');
  });

  it('builds a per-machine NSIS installer that keeps the data on uninstall', () => {
    expect(builderConfig.win.target[0].target).toBe('nsis');
    expect(builderConfig.nsis).toMatchObject({
      perMachine: true,
      deleteAppDataOnUninstall: false,
      oneClick: false,
    });
  });

  it('builds deb and AppImage, and the deb installs the udev rule and the dialout note', () => {
    expect(builderConfig.linux.target.map((t: { target: string }) => t.target)).toEqual(['deb', 'AppImage']);
    const install = readFileSync(join(root, builderConfig.deb.afterInstall), 'utf8');
    expect(install).toContain('/etc/udev/rules.d/99-baglink-scanners.rules');
    expect(install).toContain('scanner-permissions.txt');
    expect(install).toContain('chrome-sandbox');
    expect(statSync(join(root, builderConfig.deb.afterInstall)).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(root, 'resources/linux/scanner-permissions.txt'), 'utf8')).toContain(
      'usermod -aG dialout',
    );
    expect(builderConfig.extraResources).toContainEqual({ from: 'resources/udev', to: 'udev' });
    expect(existsSync(join(root, 'resources/udev/99-baglink-scanners.rules'))).toBe(true);
  });

  it('publishes updates through the generic (LAN) provider', () => {
    expect(builderConfig.publish[0].provider).toBe('generic');
  });
});

describe('icons', () => {
  it('are PNGs of every size in resources/icons, the same as the drawing script makes', () => {
    for (const size of iconSizes) {
      const file = readFileSync(join(root, 'resources/icons', `${size}x${size}.png`));
      expect(file.subarray(1, 4).toString()).toBe('PNG');
      expect(file.readUInt32BE(16)).toBe(size);
      expect(file.equals(drawIcon(size))).toBe(true);
    }
    expect(builderConfig.win.icon).toBe('resources/icons/256x256.png');
    expect(builderConfig.linux.icon).toBe('resources/icons');
  });
});
