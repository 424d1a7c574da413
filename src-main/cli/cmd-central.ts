import { readFileSync } from 'node:fs';
import { addStation, encodeEnrolment, setStationAddress } from '../central/enrol.ts';
import { migrateCentral } from '../central/migrate.ts';
import { itOptions, runItCommand } from './cmd-central-it.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './io.ts';
import { commandHelp } from './usage.ts';

function urlOf(values: CommandContext['values']): string {
  const url = (values.url as string | undefined) ?? process.env.BAGLINK_CENTRAL_URL;
  if (!url)
    throw new UsageError('Give the centre with --url postgres://USER@HOST:PORT/DB (or BAGLINK_CENTRAL_URL).');
  return url;
}

/** IT's side of the centre: create or upgrade its schema, and enrol stations. */
export const centralCommand: Command = {
  summary:
    'Central PostgreSQL for IT: "migrate" creates or upgrades the schema and sync functions; "add-station" enrols a station and prints its enrolment line; "set-user", "set-station", "rotate-secret", "revoke-station", "refusals", "status", "repair-login" and "watchdog" manage users, stations, their secrets and the pooled login.',
  usage: commandHelp.central.usage,
  options: {
    url: { type: 'string' },
    name: { type: 'string' },
    area: { type: 'string' },
    'station-url': { type: 'string' },
    ca: { type: 'string' },
    json: { type: 'boolean' },
    insecure: { type: 'boolean' },
    ...itOptions,
  },
  async run(context: CommandContext): Promise<number> {
    const { values, positionals, io } = context;
    const [sub] = positionals;
    const it = await runItCommand(sub ?? '', () => urlOf(values), context);
    if (it !== null) return it;
    if (sub === 'migrate') {
      const { applied } = await migrateCentral(urlOf(values));
      io.out(
        applied === 0 ? 'The central schema is up to date.' : `Applied ${applied} central migration(s).`,
      );
      const stationUrl = values['station-url'] as string | undefined;
      if (stationUrl) {
        const caPath = values.ca as string | undefined;
        const stored = await setStationAddress(urlOf(values), {
          stationUrlBase: stationUrl,
          ...(caPath ? { ca: readFileSync(caPath, 'utf8') } : {}),
          insecure: values.insecure === true,
        });
        io.out(
          `Stations enrolled before the pooled login move to ${stored} at their next sync${caPath ? ' (with that CA)' : ''}.`,
        );
      }
      return 0;
    }
    if (sub === 'add-station') {
      const name = (values.name as string | undefined)?.trim();
      const area = (values.area as string | undefined)?.trim();
      if (!name || !area) throw new UsageError('add-station needs --name and --area.');
      const caPath = values.ca as string | undefined;
      const enrolment = await addStation({
        adminUrl: urlOf(values),
        name,
        dispatchArea: area,
        ...(values['station-url'] ? { stationUrlBase: values['station-url'] as string } : {}),
        ...(caPath ? { ca: readFileSync(caPath, 'utf8') } : {}),
        insecure: values.insecure === true,
      });
      const line = encodeEnrolment(enrolment);
      if (values.json) {
        io.out(JSON.stringify({ stationId: enrolment.stationId, enrolment: line }));
        return 0;
      }
      io.out(
        `Station "${enrolment.name}" (area ${enrolment.dispatchArea}) is enrolled as ${enrolment.stationId}.`,
      );
      io.out(
        "Hand this line over privately, once (it holds the station's secret, which the centre does not keep):",
      );
      io.out(`  ${line}`);
      io.out(
        `On the station, save it in a file only you can read and run: baglink join --enrolment-file FILE${values.insecure ? ' --insecure' : ''}`,
      );
      return 0;
    }
    throw new UsageError(`Usage: ${centralCommand.usage}`);
  },
};
