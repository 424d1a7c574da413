import type { z } from 'zod';
import type { MethodResults } from '../../src-shared/contract.ts';
import type { methodSchemas, MethodName } from '../../src-shared/contract.ts';
import type { Station } from '../app/station.ts';

type Args<M extends MethodName> = z.output<(typeof methodSchemas)[M]>;
/** A handler answers its method's result (src-shared/api.ts), at once or as a promise. */
type Handler<M extends MethodName> = (
  station: Station,
  args: Args<M>,
) => MethodResults[M] | Promise<MethodResults[M]>;

/**
 * The one handler table. A handler passes the logged-in operator (or null) to the core, which checks the role;
 * nothing here decides who may do what.
 */
export const handlers = {
  'auth.login': (s, a) => s.login(a),
  'auth.logout': (s) => {
    s.session.logout();
    return null;
  },
  'auth.whoami': (s) => (s.session.operator() ? s.session.info() : null),
  'setup.state': (s) => s.setup.state(),
  'setup.firstAdmin': (s, a) => s.setup.firstAdmin(a),
  'scan.submit': (s, a) => s.submitScan({ raw: a.code, scanner: a.scanner ?? 'api', source: 'api' }),
  'scan.undoLast': (s) => s.links.undoLast(s.session.operator()),
  'scan.closeParent': (s) => s.closeParent(s.session.operator()),
  'scan.state': (s, a) => s.scanState(s.session.operator(), a.limit ?? 10, a.mine ?? false),
  'links.remove': (s, a) => s.links.removeChild(s.session.operator(), a.child, a.reason),
  'links.move': (s, a) => s.links.moveChild(s.session.operator(), a.child, a.toParent, a.reason),
  'bags.lookup': (s, a) => s.lookup.lookup(s.session.operator(), a.code),
  'bills.create': (s, a) => s.bills.create(s.session.operator(), a),
  'bills.addParent': (s, a) => s.bills.addParent(s.session.operator(), a.billNo, a.parent),
  'bills.scanParent': (s, a) => s.bills.scanParent(s.session.operator(), a.billNo, a.parent),
  'bills.takeReads': (s, a) => s.billReads.take(s.session.operator(), a.billNo),
  'bills.removeParent': (s, a) => s.bills.removeParent(s.session.operator(), a.billNo, a.parent),
  'bills.complete': (s, a) => s.bills.complete(s.session.operator(), a.billNo),
  'bills.reopen': (s, a) => s.bills.reopen(s.session.operator(), a.billNo),
  'bills.get': (s, a) => s.bills.get(s.session.operator(), a.billNo),
  'bills.list': (s, a) => s.bills.list(s.session.operator(), a),
  'stats.dashboard': (s) => s.stats.dashboard(s.session.operator()),
  'users.list': (s) => s.users.list(s.session.operator()),
  'users.create': (s, a) => s.users.create(s.session.operator(), a),
  'users.update': (s, a) => s.users.update(s.session.operator(), a),
  'settings.get': (s) => s.settings.get(s.session.operator()),
  'settings.update': (s, a) => s.settings.update(s.session.operator(), a),
  'status.get': (s) => s.statusFor(s.session.operator()),
  'sync.status': (s) => s.syncStatus(s.session.operator()),
  'sync.now': (s) => s.syncNow(s.session.operator()),
  'conflicts.list': (s, a) => s.sync.conflicts.list(s.session.operator(), a.all ?? false),
  'conflicts.resolve': (s, a) => s.sync.conflicts.resolve(s.session.operator(), a.id, a.resolution),
  'bills.export': (s, a) => s.exports.billFile(s.session.operator(), a.billNo, a.format),
  'reports.endOfDay': (s, a) =>
    s.exports.endOfDayFile(s.session.operator(), a.date, a.format, s.status().sync),
  'audit.list': (s, a) => s.audit.list(s.session.operator(), a),
  'scanners.list': (s) => s.scanners.list(s.session.operator()),
  'scanners.configure': (s, a) => s.scanners.configure(s.session.operator(), a.scanners),
  'scanners.testRead': (s, a) =>
    s.scanners.testRead(s.session.operator(), a.scannerId, a.timeoutMs ?? 10_000),
  'status.preLogin': (s) => s.preLogin(),
  'hardware.get': (s) => s.hardware.get(s.session.operator()),
  'hardware.configure': (s, a) => s.hardware.configure(s.session.operator(), a),
  'hardware.state': (s) => s.hardware.state(s.session.operator()),
  'weights.current': (s) => s.weights.current(s.session.operator()),
  'weights.weighAgain': (s) => s.weights.weighAgain(s.session.operator()),
  'weights.weighLater': (s) => s.weights.weighLater(s.session.operator()),
  'weights.acknowledge': (s, a) => {
    const { parent, ...credentials } = a;
    return s.weights.acknowledge(s.session.operator(), parent, credentials);
  },
  'printer.reprint': (s, a) => s.printer.reprint(s.session.operator(), a.parent),
  'printer.preview': (s, a) => s.printer.preview(s.session.operator(), a.parent),
  'printer.jobs': (s, a) => s.printer.jobs(s.session.operator(), a.parent, a.limit ?? 50),
} satisfies { [M in MethodName]: Handler<M> };
