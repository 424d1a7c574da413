import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { RotatingFile } from './rotating-file.ts';

export interface DesktopLog {
  logger: Logger;
  /** One line at info level: what the station's modules take as `log`. */
  line(text: string): void;
  folder: string;
  close(): void;
}

/** JSON lines in <dataDir>/logs/station.log, rotated by size; nothing is written outside the data folder. */
export function openDesktopLog(
  dataDir: string,
  options: { maxBytes?: number; keep?: number } = {},
): DesktopLog {
  const folder = join(dataDir, 'logs');
  const file = new RotatingFile({ path: join(folder, 'station.log'), ...options });
  const logger = pino({ base: { app: 'baglink-station' }, timestamp: pino.stdTimeFunctions.isoTime }, file);
  return {
    logger,
    folder,
    line: (text) => logger.info(text),
    close: () => file.close(),
  };
}
