/**
 * Scans a station made offline, in bulk and in the station's own wire format (its encoder, ids and hashes): the
 * load of the central bench (`baglink bench --central`) and of the sync's catch-up fault test.
 */
import { uuidv7 } from 'uuidv7';
import { openStore } from '../store/open.ts';
import type { SentOp } from './central-client.ts';
import { withHash } from './push.ts';

export interface Op {
  seq: number;
  /** The operation as a station's outbox sends it: its seq, its own uuidv7 id, its content hash, kind and payload. */
  sent: SentOp;
  /** What the central bench's floor (one COPY per table) loads for this op. */
  bag: [string, string, string];
  link: [string, string, string] | null;
  scanId: string;
  code: string;
}

/** n operations of one station: every 31st a parent, the others children linked into it. */
export function stationOps(stationNo: number, n: number, at = Date.now()): Op[] {
  const ops: Op[] = [];
  let parent = '';
  for (let seq = 1; seq <= n; seq++) {
    const i = seq - 1;
    const isParent = i % 31 === 0;
    const code = isParent ? `P${stationNo}-${i / 31}` : `C${stationNo}-${i}`;
    if (isParent) parent = code;
    const bagId = uuidv7();
    const linkId = isParent ? null : uuidv7();
    const scan = {
      id: uuidv7(),
      at,
      raw: code,
      code,
      action: isParent ? 'parent' : 'link',
      outcome: isParent ? 'parent_active' : 'linked',
      reason: null,
      userId: null,
      username: 'bench',
      scanner: 'bench',
      parentCode: parent,
      billNo: null,
    };
    const effects: unknown[] = [
      { type: 'bag.created', id: bagId, code, kind: isParent ? 'parent' : 'child', dispatchArea: 'MAIN', at },
    ];
    if (linkId) effects.push({ type: 'link.created', id: linkId, childCode: code, parentCode: parent, at });
    ops.push({
      seq,
      sent: withHash([{ seq, id: uuidv7(), op: 'scan', payload: JSON.stringify({ scan, effects }) }])[0]!,
      bag: [bagId, code, isParent ? 'parent' : 'child'],
      link: linkId ? [linkId, code, parent] : null,
      scanId: scan.id,
      code,
    });
  }
  return ops;
}

/** A station whose outbox holds n scans it made offline (its own bags and links already local). */
export function queuedStation(dir: string, ops: Op[]): void {
  const { sqlite } = openStore(dir);
  const at = Date.now();
  sqlite.transaction(() => {
    const bag = sqlite.prepare(
      `insert into bags (id, code, kind, dispatch_area, child_count, first_seen_at, station_id, updated_at)
       values (?, ?, ?, 'MAIN', 0, ?, 'bench', ?)`,
    );
    const link = sqlite.prepare(
      `insert into links (id, child_id, parent_id, linked_at, linked_by, station_id) values (?, ?, ?, ?, 'bench', 'bench')`,
    );
    const byCode = sqlite.prepare('select id from bags where code = ?');
    const outbox = sqlite.prepare(
      `insert into outbox (id, op, payload, created_at) values (?, 'scan', ?, ?)`,
    );
    for (const o of ops) {
      bag.run(o.bag[0], o.bag[1], o.bag[2], at, at);
      if (o.link) {
        const parent = byCode.get(o.link[2]) as { id: string };
        link.run(o.link[0], o.bag[0], parent.id, at);
      }
      outbox.run(o.sent.id, o.sent.payload, at);
    }
  })();
  sqlite.close();
}
