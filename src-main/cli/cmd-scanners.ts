import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { discoverPorts } from '../scanner/discovery.ts';
import { savedScanners } from '../../src-shared/scanners.ts';
import { createStationRepo } from '../store/station-repo.ts';
import { openStore } from '../store/open.ts';
import type { Command, CommandContext } from './command.ts';
import { commandHelp } from './usage.ts';
import { hardwarePorts, type PortUser } from '../app/hardware-control.ts';

export const scannersCommand: Command = {
  summary:
    'Lists the serial ports that may be scanners, which ones the station takes, and why it leaves the others.',
  usage: commandHelp.scanners.usage,
  options: { scanner: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    // Ports are worth listing before any station exists: a missing station only has no saved scanners.
    let saved: string[] = [];
    let devices: { path: string; usedBy: PortUser }[] = [];
    if (existsSync(join(dataDir, 'station.db'))) {
      const store = openStore(dataDir);
      try {
        const repo = createStationRepo(store.sqlite, Date.now);
        saved = savedScanners(repo.scanners()).map((c) => c.path);
        devices = hardwarePorts({ scale: repo.scale(), printer: repo.printer() });
      } finally {
        store.close();
      }
    }
    const ports = await discoverPorts({
      configuredPaths: [...saved, ...((values.scanner as string[]) ?? [])],
      reserved: devices,
    });
    if (values.json) {
      io.out(JSON.stringify(ports, null, 2));
      return 0;
    }
    if (ports.length === 0) {
      io.out(
        'No serial ports found. Plug a scanner in (USB serial / CDC mode), or name its path with --scanner.',
      );
      return 0;
    }
    for (const p of ports) {
      const who = p.vendorName ?? p.identity?.vendorId ?? 'unknown vendor';
      const via = p.devicePath !== p.path ? ` (${p.devicePath})` : '';
      io.out(
        `${p.taken ? 'taken  ' : 'skipped'} ${p.path}${via}  ${who}${p.identityKey ? `  ${p.identityKey}` : ''}`,
      );
      if (!p.taken && p.reason) io.out(`        ${p.reason}`);
    }
    return 0;
  },
};
