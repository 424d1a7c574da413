import type { TFunction } from 'i18next';
import { formatTime } from '../ui/time.ts';

/** A conflict as the station lists it: both sides as the centre recorded them, and the names of the people. */
export interface ConflictView {
  kind: string;
  local: unknown;
  central: unknown;
  names?: Record<string, string>;
}

type Side = Record<string, unknown>;
const side = (value: unknown): Side => (value && typeof value === 'object' ? (value as Side) : {});
const text = (value: unknown): string => (value === null || value === undefined ? '–' : String(value));
const time = (value: unknown): string => (typeof value === 'number' ? formatTime(value) : '–');

/**
 * "17:34, stB, Dina Dock: AC00001 into SB20002 — the centre already had it in SB20001 from stA at 17:34": what
 * this station did, then what the centre had. Local times, people and stations by name; no ids or JSON.
 */
export function conflictSentence(c: ConflictView, t: TFunction): string {
  const local = side(c.local);
  const central = side(c.central);
  const name = (by: unknown) => (typeof by === 'string' ? (c.names?.[by] ?? by) : t('conflicts.someone'));
  const child = local.child;
  const weighing = local.weight && typeof local.weight === 'object' ? side(local.weight) : null;
  const parent = local.parent ?? local.parentCode ?? weighing?.parentCode;
  const billNo = local.billNo ?? central.billNo;
  const what =
    child !== undefined
      ? t('conflicts.did.link', { child: text(child), parent: text(parent) })
      : weighing
        ? t('conflicts.did.weight', { parent: text(parent), kg: text(weighing.kg) })
        : local.weightId !== undefined
          ? t('conflicts.did.weightAck', { parent: text(parent) })
          : c.kind === 'bill_exists'
            ? t('conflicts.did.bill', { billNo: text(billNo) })
            : t('conflicts.did.billParent', { parent: text(parent), billNo: text(billNo) });
  const head = t('conflicts.head', {
    at: time(local.at ?? side(local.scan).at ?? weighing?.at),
    station: text(local.station ?? t('conflicts.thisStation')),
    who: name(local.by ?? weighing?.username),
    what,
  });
  const values = {
    parent: text(central.parent ?? parent),
    station: text(central.station),
    at: time(central.at ?? central.completedAt),
    who: name(central.by ?? central.completedBy),
    billNo: text(billNo),
    children: text(central.children),
    capacity: text(central.capacity),
    area: text(central.stationArea),
    destination: text(central.destination),
  };
  const known = [
    'linked_elsewhere',
    'parent_full',
    'parent_on_closed_bill',
    'other_area',
    'kind_mismatch',
    'bill_not_open',
    'parent_on_other_bill',
    'bill_exists',
    'user_role_not_allowed',
    'user_other_area',
    'user_of_several_areas',
    'bill_other_area',
    'link_other_area',
    'link_other_station',
    'station_settings_by_it',
    'weight_other_area',
    'weight_not_parent',
    'weight_unknown',
    'ack_not_supervisor',
    'weight_not_off',
  ];
  const why = t(`conflicts.why.${known.includes(c.kind) ? c.kind : 'other'}`, values);
  return `${head} — ${why}`;
}

/** What each button will do, to which bag. */
export function conflictButtons(c: ConflictView, t: TFunction): { keep: string; moveHere: string | null } {
  const local = side(c.local);
  const central = side(c.central);
  if (c.kind !== 'linked_elsewhere' || typeof local.child !== 'string')
    return { keep: t('conflicts.accept'), moveHere: null };
  return {
    keep: t('conflicts.keepThere', { child: local.child, parent: text(central.parent) }),
    moveHere: t('conflicts.moveBack', { child: local.child, parent: text(local.parent) }),
  };
}
