import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveryFs } from './discovery.ts';
import { discoverPorts, parseByIdName } from './discovery.ts';
import { identityKey, scannerVendorName, scannerVendors } from './vendors.ts';

/** A fake /dev and /sys: directories, symlinks (resolved by realpath) and files. */
function fakeFs(tree: {
  dirs: Record<string, string[]>;
  links: Record<string, string>;
  files: Record<string, string>;
}) {
  const missing = (p: string) =>
    Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: 'ENOENT' });
  const fsFake: DiscoveryFs = {
    readdir: async (dir) => {
      const names = tree.dirs[dir];
      if (!names) throw missing(dir);
      return names;
    },
    realpath: async (p) => {
      if (tree.links[p]) return tree.links[p];
      if (Object.values(tree.dirs).some((names) => names.some((n) => p.endsWith(`/${n}`)))) return p;
      throw missing(p);
    },
    readFile: async (p) => {
      const text = tree.files[p];
      if (text === undefined) throw missing(p);
      return `${text}\n`;
    },
  };
  return fsFake;
}

const noUdevadm = async (): Promise<never> => {
  throw new Error('spawn udevadm ENOENT');
};

describe('discoverPorts', () => {
  it('uses SerialPort.list() when it works and matches vendor ids in any case', async () => {
    const ports = await discoverPorts({
      deps: {
        listPorts: async () => [
          { path: '/dev/ttyACM0', vendorId: '0C2E', productId: '0CAA', serialNumber: '17060B5A25' },
          { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' },
        ],
        fs: fakeFs({ dirs: {}, links: {}, files: {} }),
      },
    });
    expect(ports).toEqual([
      {
        path: '/dev/ttyACM0',
        devicePath: '/dev/ttyACM0',
        identity: { vendorId: '0c2e', productId: '0caa', serialNumber: '17060B5A25' },
        identityKey: '0c2e:0caa:17060b5a25',
        vendorName: 'Honeywell (Metrologic)',
        configured: false,
        taken: true,
      },
      {
        path: '/dev/ttyUSB0',
        devicePath: '/dev/ttyUSB0',
        identity: { vendorId: '1a86', productId: '7523' },
        configured: false,
        taken: false,
        reason:
          'Vendor 1a86 on /dev/ttyUSB0 is not a known scanner: add the path to the scanner list to take it.',
      },
    ]);
  });

  it('falls back to /dev/serial/by-id, /sys and ttyUSB/ttyACM when SerialPort.list() throws', async () => {
    const byId = 'usb-Honeywell_Imaging___Mobility_1900_17060B5A25-if00';
    const sysAcm0 = '/sys/devices/pci0000:00/usb1/1-2/1-2:1.0';
    const fsFake = fakeFs({
      dirs: { '/dev/serial/by-id': [byId], '/dev': ['ttyACM0', 'ttyUSB3', 'tty0', 'null'] },
      links: {
        [`/dev/serial/by-id/${byId}`]: '/dev/ttyACM0',
        '/sys/class/tty/ttyACM0/device': sysAcm0,
        '/sys/class/tty/ttyUSB3/device': '/sys/devices/pci0000:00/usb1/1-3/1-3:1.0/ttyUSB3',
      },
      files: {
        '/sys/devices/pci0000:00/usb1/1-2/idVendor': '0c2e',
        '/sys/devices/pci0000:00/usb1/1-2/idProduct': '0caa',
        '/sys/devices/pci0000:00/usb1/1-2/serial': '17060B5A25',
        '/sys/devices/pci0000:00/usb1/1-3/idVendor': '1a86',
        '/sys/devices/pci0000:00/usb1/1-3/idProduct': '7523',
      },
    });
    const ports = await discoverPorts({
      configuredPaths: ['/tmp/pty/station'],
      deps: { listPorts: noUdevadm, fs: fsFake },
    });
    expect(ports.map((p) => [p.path, p.devicePath, p.identityKey, p.taken])).toEqual([
      [`/dev/serial/by-id/${byId}`, '/dev/ttyACM0', '0c2e:0caa:17060b5a25', true],
      ['/dev/ttyUSB3', '/dev/ttyUSB3', undefined, false],
      ['/tmp/pty/station', '/tmp/pty/station', undefined, true],
    ]);
    expect(ports[1]?.reason).toContain('Vendor 1a86');
    expect(ports[2]?.configured).toBe(true);
  });

  it('takes a configured path even when its vendor is not a scanner', async () => {
    const ports = await discoverPorts({
      configuredPaths: ['/dev/ttyUSB0'],
      deps: {
        listPorts: async () => [{ path: '/dev/ttyUSB0', vendorId: '1a86' }],
        fs: fakeFs({ dirs: {}, links: {}, files: {} }),
      },
    });
    expect(ports).toMatchObject([{ path: '/dev/ttyUSB0', taken: true, configured: true }]);
    expect(ports[0]?.reason).toBeUndefined();
  });

  it("leaves a reserved port (the scale's) out, found or configured, with the device that uses it", async () => {
    const ports = await discoverPorts({
      configuredPaths: ['/dev/ttyUSB0'],
      reserved: [{ path: '/dev/ttyUSB0', usedBy: 'scale' }],
      deps: {
        listPorts: async () => [{ path: '/dev/ttyUSB0', vendorId: '0c2e' }],
        fs: fakeFs({ dirs: {}, links: {}, files: {} }),
      },
    });
    expect(ports).toMatchObject([{ path: '/dev/ttyUSB0', taken: false }]);
    expect(ports[0]?.reason).toContain('Used by the scale');
  });

  it('knows the maker from the by-id name when /sys cannot be read', async () => {
    const byId = 'usb-Symbol_Technologies__Inc__2008_Symbol_Bar_Code_Scanner_S_N:1234-if00';
    const ports = await discoverPorts({
      deps: {
        listPorts: noUdevadm,
        fs: fakeFs({
          dirs: { '/dev/serial/by-id': [byId] },
          links: { [`/dev/serial/by-id/${byId}`]: '/dev/ttyACM1' },
          files: {},
        }),
      },
    });
    expect(ports).toMatchObject([{ devicePath: '/dev/ttyACM1', taken: true, vendorName: 'Zebra (Symbol)' }]);
  });

  it('says the vendor is unknown when nothing tells it', async () => {
    const ports = await discoverPorts({
      deps: { listPorts: noUdevadm, fs: fakeFs({ dirs: { '/dev': ['ttyACM2'] }, links: {}, files: {} }) },
    });
    expect(ports[0]?.reason).toBe(
      'The vendor of /dev/ttyACM2 is not known: add the path to the scanner list to take it.',
    );
  });
});

describe('vendors', () => {
  it('parses by-id names and builds lower-case identity keys', () => {
    expect(parseByIdName('usb-Honeywell_Imaging___Mobility_1900_17060B5A25-if00')).toEqual({
      manufacturer: 'Honeywell_Imaging___Mobility_1900',
      serialNumber: '17060B5A25',
    });
    expect(identityKey({ vendorId: '05E0', productId: '1701', serialNumber: 'AbC' })).toBe('05e0:1701:abc');
    expect(identityKey({ vendorId: '05E0', productId: '1701' })).toBeUndefined();
    expect(scannerVendorName('0X1EAB')).toBe('Newland');
  });

  it('lists the same vendor ids in the udev rule', () => {
    const rule = fs.readFileSync(
      path.join(import.meta.dirname, '../../resources/udev/99-baglink-scanners.rules'),
      'utf8',
    );
    for (const vendorId of Object.keys(scannerVendors)) {
      expect(rule).toContain(
        `ATTRS{idVendor}=="${vendorId}", GROUP="dialout", MODE="0660", ENV{ID_MM_DEVICE_IGNORE}="1"`,
      );
    }
  });
});
