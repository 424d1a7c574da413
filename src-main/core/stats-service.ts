import type { Context } from '../store/context.ts';
import { dayAndHour } from '../../src-shared/clock.ts';
import type { Operator } from '../../src-shared/domain.ts';
import type { Dashboard } from '../../src-shared/status.ts';
import { requireRole } from './roles.ts';
import { localDay } from './local-time.ts';

/** The scan actions the dashboard counts, and the field each one adds to. */
const counted: Partial<Record<string, 'parents' | 'links' | 'rejected'>> = {
  parent: 'parents',
  link: 'links',
  rejected: 'rejected',
};

/** The dashboard from maintained counters: cost does not grow with the number of bags or scans. */
export function createStatsService(ctx: Context) {
  const counters = ctx.counters;

  /** Today's weighings: rows of one day through parent_weights_at, the waiting ones through their own index. */
  function weightsOf(day: string): Dashboard['weights'] {
    const { start, end } = localDay(day)!;
    return {
      ...ctx.weights.dayCounts(start, end),
      unacknowledged: ctx.weights.unacknowledgedCount(),
      estimatedParents: ctx.weights.estimatedParents(start, end),
    };
  }

  return {
    dashboard(actor: Operator | null): Dashboard {
      requireRole(actor, 'supervisor');
      const now = ctx.clock.now();
      const { day } = dayAndHour(now);
      const today = { scans: 0, parents: 0, links: 0, rejected: 0, billAdds: 0 };
      const operators = new Map<
        string,
        { username: string; parents: number; links: number; rejected: number }
      >();
      const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, links: 0, rejected: 0 }));
      for (const r of counters.dayRows(day)) {
        today.scans += r.n;
        const op = operators.get(r.userId) ?? {
          username: r.username || '(nobody)',
          parents: 0,
          links: 0,
          rejected: 0,
        };
        operators.set(r.userId, op);
        const hour = hours[r.hour]!;
        const key = counted[r.action];
        if (key) {
          today[key] += r.n;
          op[key] += r.n;
          if (key !== 'parents') hour[key] += r.n;
        }
        if (r.action === 'bill_add') today.billAdds += r.n;
      }
      // Calendar days, not 24-hour steps, so a clock change never drops or doubles a day.
      const noon = new Date(now);
      const days = Array.from(
        { length: 14 },
        (_, i) =>
          dayAndHour(new Date(noon.getFullYear(), noon.getMonth(), noon.getDate() - (13 - i), 12).getTime())
            .day,
      );
      const series = new Map(days.map((d) => [d, { day: d, links: 0, parents: 0, rejected: 0 }]));
      for (const r of counters.byDay(days[0]!)) {
        const entry = series.get(r.day);
        const key = counted[r.action];
        if (entry && key) entry[key] += r.n;
      }
      const t = counters.totals();
      const outbox = counters.outbox();
      return {
        day,
        today,
        perOperator: [...operators.values()].sort((a, b) => b.links - a.links),
        perHour: hours,
        last14Days: [...series.values()],
        totals: {
          bags: t.bags ?? 0,
          parents: t.parents ?? 0,
          children: t.children ?? 0,
          links: t.links ?? 0,
          fullParents: t.full_parents ?? 0,
          billsOpen: t.bills_open ?? 0,
          billsCompleted: t.bills_completed ?? 0,
        },
        outbox: { depth: outbox.depth, oldestUnsentAt: outbox.oldest },
        weights: weightsOf(day),
      };
    },
  };
}
