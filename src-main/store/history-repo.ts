import type { Sqlite } from './open.ts';
import type { ScanRecord } from '../../src-shared/domain.ts';

const scanColumns = `s.id, s.at, s.raw, s.code, s.action, s.outcome, s.reason, u.username, s.scanner,
  s.parent_code as parentCode, s.bill_no as billNo`;

/** Reading the scan log back: a code's story and the most recent reads at this station. */
export function createHistoryRepo(sqlite: Sqlite) {
  const ofCode = sqlite.prepare(
    `select ${scanColumns} from scans s left join users u on u.id = s.user_id
     where s.code = ? order by s.at desc, s.id desc limit ?`,
  );
  const recent = sqlite.prepare(
    `select ${scanColumns} from scans s left join users u on u.id = s.user_id order by s.id desc limit ?`,
  );
  // Only among the station's last 500 reads: bounded work even for someone who has not scanned for weeks.
  const recentOf = sqlite.prepare(
    `select ${scanColumns} from (select * from scans order by id desc limit 500) s
     left join users u on u.id = s.user_id where s.user_id = ? order by s.id desc limit ?`,
  );
  return {
    ofCode: (code: string, limit: number) => ofCode.all(code, limit) as ScanRecord[],
    recent: (limit: number) => recent.all(limit) as ScanRecord[],
    /** One operator's most recent reads: "Last reads" after a login shows the new person's, not the last one's. */
    recentOf: (userId: string, limit: number) => recentOf.all(userId, limit) as ScanRecord[],
  };
}
