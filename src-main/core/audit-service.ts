import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import { normalizeCode } from './normalize.ts';
import type { Operator } from '../../src-shared/domain.ts';
import { requireRole } from './roles.ts';
import { localDay } from './local-time.ts';
import type { AuditRow } from '../../src-shared/audit-text.ts';

/**
 * An audit row with the names its sentence needs (who did it, the user or bill it was done to); shared with the
 * end-of-day report. Alias `a` is audit_log.
 */
export const auditSelect = `select a.id, a.at, u.username, u.display_name as displayName, a.action, a.entity,
    a.entity_id as entityId, a.before, a.after, su.display_name as subjectName, b.bill_no as billNo
  from audit_log a left join users u on u.id = a.user_id
  left join users su on a.entity = 'user' and su.id = a.entity_id
  left join bills b on a.entity = 'bill' and b.id = a.entity_id`;

export const parseAuditJson = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export interface AuditFilter {
  /** Username of who did it. */
  user?: string;
  billNo?: string;
  /** A bag code: moves, unlinks and bill changes of that bag. */
  code?: string;
  /** Epoch ms, an ISO date-time, or a local day YYYY-MM-DD (from its start; `to` includes the whole day). */
  from?: number | string;
  to?: number | string;
  limit?: number;
  offset?: number;
}

function moment(value: number | string | undefined, edge: 'from' | 'to'): number | null {
  if (value === undefined) return null;
  if (typeof value === 'number') return value;
  const day = localDay(value);
  if (day) return edge === 'from' ? day.start : day.end;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new StationError('invalid_date', { date: value.slice(0, 40) });
  return edge === 'to' ? at + 1 : at;
}

/**
 * The audit trail: who did what when, with before and after, newest first. Each filter adds one condition, so
 * SQLite can walk the matching index (user, time) or (entity, id, time) instead of the whole log.
 */
export function createAuditService(ctx: Context) {
  const statements = new Map<
    string,
    { rows: ReturnType<Context['sqlite']['prepare']>; count: ReturnType<Context['sqlite']['prepare']> }
  >();

  function prepared(conditions: string[]) {
    const key = conditions.join(' and ');
    let s = statements.get(key);
    if (!s) {
      const where = conditions.length ? `where ${key}` : '';
      s = {
        rows: ctx.sqlite.prepare(
          `${auditSelect} ${where}
           order by a.at desc, a.id desc limit @limit offset @offset`,
        ),
        count: ctx.sqlite.prepare(`select count(*) as n from audit_log a ${where}`),
      };
      statements.set(key, s);
    }
    return s;
  }

  return {
    list(actor: Operator | null, filter: AuditFilter): { rows: AuditRow[]; total: number } {
      requireRole(actor, 'supervisor');
      const conditions: string[] = [];
      const params: Record<string, string | number> = {};
      if (filter.user !== undefined) {
        const user = ctx.users.byUsername(filter.user.trim().toLowerCase());
        if (!user) return { rows: [], total: 0 };
        conditions.push('a.user_id = @userId');
        params.userId = user.id;
      }
      if (filter.billNo !== undefined) {
        const bill = ctx.bills.byNo(normalizeCode(filter.billNo).code);
        if (!bill) return { rows: [], total: 0 };
        conditions.push(`a.entity = 'bill' and a.entity_id = @billId`);
        params.billId = bill.id;
      }
      if (filter.code !== undefined) {
        conditions.push(
          `(a.entity_id = @code or json_extract(a.before, '$.child') = @code or json_extract(a.after, '$.child') = @code
            or json_extract(a.before, '$.parent') = @code or json_extract(a.after, '$.parent') = @code)`,
        );
        params.code = normalizeCode(filter.code).code;
      }
      const from = moment(filter.from, 'from');
      const to = moment(filter.to, 'to');
      if (from !== null) {
        conditions.push('a.at >= @from');
        params.from = from;
      }
      if (to !== null) {
        conditions.push('a.at < @to');
        params.to = to;
      }
      const s = prepared(conditions);
      const rows = (
        s.rows.all({ ...params, limit: filter.limit ?? 50, offset: filter.offset ?? 0 }) as (Omit<
          AuditRow,
          'before' | 'after'
        > & { before: string | null; after: string | null })[]
      ).map((r) => ({ ...r, before: parseAuditJson(r.before), after: parseAuditJson(r.after) }));
      const total = (s.count.get(params) as { n: number }).n;
      return { rows, total };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
