/**
 * The audit trail as sentences a supervisor reads, in English and Hindi: one module for the screens (bundled by
 * the renderer: no Node imports here) and the end-of-day report. No method names, ids or key dumps; badge codes
 * are masked. A catalogue test checks both languages have every template with the same placeholders.
 */
import { formatKg, weighedPhrase, weightGapSentence } from './weight-text.ts';

export type AuditLanguage = 'en' | 'hi';

/** An audit row as read with its names: who did it, and the user or bill it was done to. */
export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  username: string | null;
  displayName?: string | null;
  /** For entity 'user': that user's name; for entity 'bill': its number. */
  subjectName?: string | null;
  billNo?: string | null;
  before: unknown;
  after: unknown;
}

/** A row of the audit trail as audit.list answers it. */
export interface AuditRow extends AuditEntry {
  id: string;
  at: number;
  username: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

const en = {
  nobody: 'Nobody logged in',
  console: 'The station console',
  reason: '(reason: {reason})',
  'session.login': '{who} logged in.',
  'session.loginBadge': '{who} logged in with a badge.',
  'session.logout': '{who} logged out.',
  'session.idle': '{who} was logged out after being idle.',
  'session.replaced': '{who} was logged out when the next person logged in.',
  'login.failed': 'Wrong password or PIN for {subject} (attempt {attempts}).',
  'login.failed_pin': 'Wrong PIN for {subject} (attempt {attempts}).',
  'login.locked': 'The account of {subject} was locked after too many wrong passwords.',
  'login.unknown': 'Someone tried to log in as {subject}, who is not a user here.',
  'user.create': '{who} added {subject} as {role}.',
  'user.update': '{who} changed {subject}: {changes}.',
  'user.updateNothing': '{who} saved {subject} without a change.',
  'change.role': 'role {from} → {to}',
  'change.name': 'name {from} → {to}',
  'change.area': 'area {from} → {to}',
  'change.off': 'switched off',
  'change.on': 'switched on again',
  'change.unlocked': 'unlocked',
  'change.password': 'new password',
  'change.pin': 'new PIN',
  'change.badge': 'new badge {badge}',
  'change.noBadge': 'badge taken away',
  'change.capacity': 'parent capacity {from} → {to}',
  'change.patterns': 'code patterns changed',
  'change.stationName': 'station name {from} → {to}',
  'change.profile': 'scanning rules changed',
  'bill.create': '{who} created bill {billNo} to {destination} (vehicle {vehicle}, {capacity} parent bags).',
  'bill.addParent': '{who} put parent {parent} on bill {billNo}.',
  'bill.removeParent': '{who} took parent {parent} off bill {billNo}.',
  'bill.complete': '{who} completed bill {billNo}.',
  'bill.reopen': '{who} reopened bill {billNo}.',
  'bill.export': '{who} exported bill {billNo} as {format}.',
  'report.endOfDay': '{who} made the end-of-day report for {day} ({format}).',
  move: '{who} moved {child} from {from} to {to}.',
  unlink: '{who} took {child} out of {from}.',
  'settings.update': '{who} changed the station settings: {changes}.',
  'conflict.keep_central': "{who} decided conflict {id}: kept the centre's version.",
  'conflict.move_here': '{who} decided conflict {id}: moved the bag back to this station’s parent.',
  'weight.record': '{who} weighed parent {parent}: {weighed}.',
  'weight.recordOk': '{who} weighed parent {parent}: {weighed}, expected {expectedKg} kg.',
  'weight.recordOff':
    '{who} weighed parent {parent}: {gap}, expected {expectedKg} kg. A supervisor must check it.',
  'weight.later': '{who} put off weighing parent {parent} ({childCount} bags): its weight is estimated.',
  'weight.acknowledge': '{who} checked and accepted the weight of parent {parent}: {gap}.',
  'label.reprint': '{who} reprinted the label of parent {parent}.',
  'hardware.configure': '{who} changed the dock hardware: {changes}.',
  'hardware.configureNothing': '{who} saved the scale and label printer settings without a change.',
  'change.scaleOn': 'scale {name} attached',
  'change.scaleOff': 'scale taken off',
  'change.scale': 'scale settings changed',
  'change.printerOn': 'label printer {name} attached',
  'change.printerOff': 'label printer taken off',
  'change.printer': 'label printer settings changed',
  'change.weighing': 'weight check settings changed',
  other: '{who} made a change ({what}).',
  roles: { dock: 'dock worker', supervisor: 'supervisor', admin: 'admin' },
  /** Why reads were refused, as short names for the end-of-day report and the dashboard. */
  refusals: {
    invalid_code: 'Not a bag code',
    code_too_short: 'Code too short',
    code_too_long: 'Code too long',
    empty_code: 'Nothing read',
    control_characters: 'Scanner sent control characters',
    no_active_parent: 'No parent scanned first',
    parent_full: 'Parent already full',
    linked_elsewhere: 'Child already in another parent',
    parent_on_closed_bill: 'Parent on a completed bill',
    other_area: 'Bag of another area',
    kind_mismatch: 'Wrong kind of bag',
    not_logged_in: 'Nobody logged in',
    weight_required: 'Last parent not weighed yet',
    badge_not_bag: 'Staff badge, not a bag',
    weight_off: 'Last weight off, waiting for a supervisor',
    other: 'Other reason',
  },
  /** Conflicts the centre reported, by kind. */
  conflictKinds: {
    linked_elsewhere: 'child already in another parent',
    parent_full: 'parent already full',
    parent_on_closed_bill: 'parent on a completed bill',
    other_area: 'bag of another area',
    kind_mismatch: 'wrong kind of bag',
    bill_not_open: 'bill already completed',
    parent_on_other_bill: 'parent already on another bill',
    bill_exists: 'bill number already used',
    weight_other_area: 'weight of another area',
    weight_not_parent: 'weight of a bag that is not a parent',
    weight_unknown: 'no such weighing',
    ack_not_supervisor: 'weight acknowledged by someone not a supervisor',
    weight_not_off: 'weight was not off',
    other: 'other conflict',
  },
};

export type AuditTemplates = typeof en;

const hi: AuditTemplates = {
  nobody: 'कोई लॉग इन नहीं था',
  console: 'स्टेशन कंसोल',
  reason: '(कारण: {reason})',
  'session.login': '{who} ने लॉग इन किया।',
  'session.loginBadge': '{who} ने बैज से लॉग इन किया।',
  'session.logout': '{who} ने लॉग आउट किया।',
  'session.idle': '{who} कुछ देर कुछ न करने पर लॉग आउट हुए।',
  'session.replaced': '{who} अगले व्यक्ति के लॉग इन करने पर लॉग आउट हुए।',
  'login.failed': '{subject} का पासवर्ड या पिन गलत था (कोशिश {attempts})।',
  'login.failed_pin': '{subject} का पिन गलत था (कोशिश {attempts})।',
  'login.locked': 'बहुत सारे गलत पासवर्ड के बाद {subject} का खाता लॉक हुआ।',
  'login.unknown': 'किसी ने {subject} के नाम से लॉग इन की कोशिश की, जो यहाँ उपयोगकर्ता नहीं है।',
  'user.create': '{who} ने {subject} को {role} के रूप में जोड़ा।',
  'user.update': '{who} ने {subject} को बदला: {changes}।',
  'user.updateNothing': '{who} ने {subject} को बिना बदलाव के सहेजा।',
  'change.role': 'भूमिका {from} → {to}',
  'change.name': 'नाम {from} → {to}',
  'change.area': 'क्षेत्र {from} → {to}',
  'change.off': 'खाता बंद किया',
  'change.on': 'खाता फिर से चालू किया',
  'change.unlocked': 'अनलॉक किया',
  'change.password': 'नया पासवर्ड',
  'change.pin': 'नया पिन',
  'change.badge': 'नया बैज {badge}',
  'change.noBadge': 'बैज हटाया',
  'change.capacity': 'पैरेंट क्षमता {from} → {to}',
  'change.patterns': 'कोड पैटर्न बदले',
  'change.stationName': 'स्टेशन का नाम {from} → {to}',
  'change.profile': 'स्कैन के नियम बदले',
  'bill.create': '{who} ने {destination} के लिए बिल {billNo} बनाया (गाड़ी {vehicle}, {capacity} पैरेंट बैग)।',
  'bill.addParent': '{who} ने पैरेंट {parent} को बिल {billNo} पर चढ़ाया।',
  'bill.removeParent': '{who} ने पैरेंट {parent} को बिल {billNo} से उतारा।',
  'bill.complete': '{who} ने बिल {billNo} पूरा किया।',
  'bill.reopen': '{who} ने बिल {billNo} फिर से खोला।',
  'bill.export': '{who} ने बिल {billNo} को {format} में निर्यात किया।',
  'report.endOfDay': '{who} ने {day} की दिन के अंत की रिपोर्ट बनाई ({format})।',
  move: '{who} ने {child} को {from} से {to} में ले जाया।',
  unlink: '{who} ने {child} को {from} से निकाला।',
  'settings.update': '{who} ने स्टेशन की सेटिंग बदली: {changes}।',
  'conflict.keep_central': '{who} ने टकराव {id} तय किया: केंद्र वाला रखा।',
  'conflict.move_here': '{who} ने टकराव {id} तय किया: बैग को इस स्टेशन के पैरेंट में वापस रखा।',
  'weight.record': '{who} ने पैरेंट {parent} तौला: {weighed}।',
  'weight.recordOk': '{who} ने पैरेंट {parent} तौला: {weighed}, अपेक्षित {expectedKg} किलो।',
  'weight.recordOff': '{who} ने पैरेंट {parent} तौला: {gap}, अपेक्षित {expectedKg} किलो। सुपरवाइज़र को जाँचना होगा।',
  'weight.later': '{who} ने पैरेंट {parent} ({childCount} बैग) का तौल बाद के लिए रखा: उसका वज़न अनुमानित है।',
  'weight.acknowledge': '{who} ने पैरेंट {parent} का वज़न जाँचकर माना: {gap}।',
  'label.reprint': '{who} ने पैरेंट {parent} का लेबल फिर से छापा।',
  'hardware.configure': '{who} ने डॉक के उपकरण बदले: {changes}।',
  'hardware.configureNothing': '{who} ने तराज़ू और लेबल प्रिंटर की सेटिंग बिना बदलाव के सहेजी।',
  'change.scaleOn': 'तराज़ू {name} जोड़ा',
  'change.scaleOff': 'तराज़ू हटाया',
  'change.scale': 'तराज़ू की सेटिंग बदली',
  'change.printerOn': 'लेबल प्रिंटर {name} जोड़ा',
  'change.printerOff': 'लेबल प्रिंटर हटाया',
  'change.printer': 'लेबल प्रिंटर की सेटिंग बदली',
  'change.weighing': 'वज़न जाँच की सेटिंग बदली',
  other: '{who} ने एक बदलाव किया ({what})।',
  roles: { dock: 'डॉक कर्मचारी', supervisor: 'सुपरवाइज़र', admin: 'एडमिन' },
  refusals: {
    invalid_code: 'बैग कोड नहीं',
    code_too_short: 'कोड बहुत छोटा',
    code_too_long: 'कोड बहुत लंबा',
    empty_code: 'कुछ नहीं पढ़ा गया',
    control_characters: 'स्कैनर ने कंट्रोल अक्षर भेजे',
    no_active_parent: 'पहले पैरेंट स्कैन नहीं हुआ',
    parent_full: 'पैरेंट पहले से भरा',
    linked_elsewhere: 'चाइल्ड पहले से दूसरे पैरेंट में',
    parent_on_closed_bill: 'पैरेंट पूरे हो चुके बिल पर',
    other_area: 'दूसरे क्षेत्र का बैग',
    kind_mismatch: 'गलत तरह का बैग',
    not_logged_in: 'कोई लॉग इन नहीं था',
    weight_required: 'पिछला पैरेंट अभी तौला नहीं गया',
    badge_not_bag: 'कर्मचारी का बैज, बैग नहीं',
    weight_off: 'पिछला वज़न गलत, सुपरवाइज़र की प्रतीक्षा',
    other: 'दूसरा कारण',
  },
  conflictKinds: {
    linked_elsewhere: 'चाइल्ड पहले से दूसरे पैरेंट में',
    parent_full: 'पैरेंट पहले से भरा',
    parent_on_closed_bill: 'पैरेंट पूरे हो चुके बिल पर',
    other_area: 'दूसरे क्षेत्र का बैग',
    kind_mismatch: 'गलत तरह का बैग',
    bill_not_open: 'बिल पहले ही पूरा',
    parent_on_other_bill: 'पैरेंट पहले से दूसरे बिल पर',
    bill_exists: 'बिल नंबर पहले से इस्तेमाल',
    weight_other_area: 'दूसरे क्षेत्र का वज़न',
    weight_not_parent: 'ऐसे बैग का वज़न जो पैरेंट नहीं',
    weight_unknown: 'ऐसा कोई वज़न नहीं',
    ack_not_supervisor: 'वज़न सुपरवाइज़र के सिवा किसी ने माना',
    weight_not_off: 'वज़न सीमा से बाहर नहीं था',
    other: 'दूसरा टकराव',
  },
};

export const auditTemplates: Record<AuditLanguage, AuditTemplates> = { en, hi };

type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields => (value && typeof value === 'object' ? (value as Fields) : {});
const str = (value: unknown): string => (value === null || value === undefined ? '–' : String(value));

/** A refusal reason code (as stored on a scan) as a short name. */
export function refusalName(code: string | null, lang: AuditLanguage): string {
  const names = auditTemplates[lang].refusals;
  return names[(code ?? 'other') as keyof typeof names] ?? names.other;
}

/** A conflict kind (as the centre records it) as a short name. */
export function conflictKindName(kind: string, lang: AuditLanguage): string {
  const names = auditTemplates[lang].conflictKinds;
  return names[kind as keyof typeof names] ?? names.other;
}

/** Who did something, when nobody was logged in. */
export const nobodyName = (lang: AuditLanguage): string => auditTemplates[lang].nobody;

/** A badge code shown with all but its last two characters hidden. */
export function maskBadge(code: string): string {
  return code.length <= 2 ? '••' : `${'•'.repeat(Math.min(6, code.length - 2))}${code.slice(-2)}`;
}

function fill(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => str(values[key]));
}

function userChanges(t: AuditTemplates, before: Fields, after: Fields): string[] {
  const out: string[] = [];
  const role = (r: unknown) => t.roles[r as keyof AuditTemplates['roles']] ?? str(r);
  if (before.role !== after.role)
    out.push(fill(t['change.role'], { from: role(before.role), to: role(after.role) }));
  if (before.displayName !== after.displayName)
    out.push(fill(t['change.name'], { from: before.displayName, to: after.displayName }));
  if (before.dispatchArea !== after.dispatchArea)
    out.push(fill(t['change.area'], { from: before.dispatchArea, to: after.dispatchArea }));
  if (before.active && !after.active) out.push(t['change.off']);
  if (!before.active && after.active) out.push(t['change.on']);
  if (before.lockedUntil && !after.lockedUntil) out.push(t['change.unlocked']);
  if (after.passwordChanged) out.push(t['change.password']);
  if (after.pinChanged) out.push(t['change.pin']);
  if (before.badgeCode !== after.badgeCode)
    out.push(
      typeof after.badgeCode === 'string'
        ? fill(t['change.badge'], { badge: maskBadge(after.badgeCode) })
        : t['change.noBadge'],
    );
  return out;
}

/** The profile's weight check settings (issue 16), said apart from the scanning rules. */
const WEIGHING_FIELDS = [
  'parentTareKg',
  'weightToleranceKg',
  'weightTolerancePct',
  'weighMinKg',
  'weighTimeoutMs',
  'weightRequired',
] as const;

/** A device's name as its settings give it: its own name, else its host or port. */
function deviceName(config: unknown): string {
  const c = fields(config);
  const connection = fields(c.connection);
  const name = c.name ?? c.path ?? connection.host ?? connection.path;
  return typeof name === 'string' && name ? name : '–';
}

function hardwareChanges(t: AuditTemplates, before: Fields, after: Fields): string[] {
  const out: string[] = [];
  const devices = [
    ['scale', t['change.scaleOn'], t['change.scaleOff'], t['change.scale']],
    ['printer', t['change.printerOn'], t['change.printerOff'], t['change.printer']],
  ] as const;
  for (const [key, on, off, changed] of devices) {
    // A device left out of the change (undefined after) was not touched.
    if (after[key] === undefined) continue;
    const was = before[key] ?? null;
    const now = after[key] ?? null;
    if (was === null && now !== null) out.push(fill(on, { name: deviceName(now) }));
    else if (was !== null && now === null) out.push(off);
    else if (JSON.stringify(was) !== JSON.stringify(now)) out.push(changed);
  }
  return out;
}

/** The weighing's numbers for its sentences. */
function weighing(after: Fields, lang: AuditLanguage) {
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const w = {
    kg: num(after.kg),
    childCount: num(after.childCount) ?? 0,
    gapKg: num(after.gapKg),
    gapBags: num(after.gapBags),
  };
  const expectedKg = num(after.expectedKg);
  return {
    weighed: weighedPhrase(w, lang),
    gap: weightGapSentence(w, lang),
    expectedKg: expectedKg === null ? '–' : formatKg(expectedKg),
  };
}

function settingsChanges(t: AuditTemplates, before: Fields, after: Fields): string[] {
  const out: string[] = [];
  if (before.name !== after.name)
    out.push(fill(t['change.stationName'], { from: before.name, to: after.name }));
  if (before.dispatchArea !== after.dispatchArea)
    out.push(fill(t['change.area'], { from: before.dispatchArea, to: after.dispatchArea }));
  const p = fields(before.profile);
  const q = fields(after.profile);
  if (p.parentCapacity !== q.parentCapacity)
    out.push(fill(t['change.capacity'], { from: p.parentCapacity, to: q.parentCapacity }));
  const patterns = (x: Fields) => JSON.stringify([x.parentPatterns, x.childPatterns]);
  if (patterns(p) !== patterns(q)) out.push(t['change.patterns']);
  const weighing = (x: Fields) => JSON.stringify(WEIGHING_FIELDS.map((k) => x[k]));
  if (weighing(p) !== weighing(q)) out.push(t['change.weighing']);
  const rest = (x: Fields) => {
    const { parentCapacity: _c, parentPatterns: _p, childPatterns: _q, ...other } = x;
    for (const k of WEIGHING_FIELDS) delete other[k];
    return JSON.stringify(other);
  };
  if (rest(p) !== rest(q)) out.push(t['change.profile']);
  return out;
}

/** One audit row as a sentence in the given language. */
export function auditSentence(row: AuditEntry, lang: AuditLanguage): string {
  const t = auditTemplates[lang];
  const before = fields(row.before);
  const after = fields(row.after);
  // No user: a change made from the station's console (`baglink user add`, a report run there).
  const who = row.displayName || row.username || t.console;
  const subject = row.subjectName || row.entityId;
  const billNo = row.billNo ?? after.billNo ?? before.billNo;
  const withReason = (sentence: string) =>
    typeof after.reason === 'string' && after.reason ? `${sentence} ${fill(t.reason, after)}` : sentence;
  switch (row.action) {
    case 'session.login':
      return fill(after.via === 'badge' ? t['session.loginBadge'] : t['session.login'], { who });
    case 'session.logout':
    case 'session.idle':
    case 'session.replaced':
    case 'login.failed':
    case 'login.failed_pin':
    case 'login.locked':
      return fill(t[row.action], { who, subject, attempts: after.attempts });
    case 'login.unknown':
      return fill(t['login.unknown'], { subject: row.entityId });
    case 'user.create':
      return fill(t['user.create'], { who, subject, role: t.roles[after.role as 'dock'] ?? str(after.role) });
    case 'user.update': {
      const changes = userChanges(t, before, after);
      if (changes.length === 0) return fill(t['user.updateNothing'], { who, subject });
      return fill(t['user.update'], { who, subject, changes: changes.join(', ') });
    }
    case 'bill.create':
      return fill(t['bill.create'], {
        who,
        billNo,
        destination: after.destination,
        vehicle: after.vehicleNo,
        capacity: after.capacity,
      });
    case 'bill.addParent':
    case 'bill.removeParent':
      return fill(t[row.action], { who, billNo, parent: after.parent ?? before.parent });
    case 'bill.complete':
    case 'bill.reopen':
      return fill(t[row.action], { who, billNo });
    case 'bill.export':
      return fill(t['bill.export'], { who, billNo, format: str(after.format).toUpperCase() });
    case 'report.endOfDay':
      return fill(t['report.endOfDay'], { who, day: after.day, format: str(after.format).toUpperCase() });
    case 'move':
      return withReason(fill(t.move, { who, child: before.child, from: before.parent, to: after.parent }));
    case 'unlink':
      return withReason(fill(t.unlink, { who, child: before.child, from: before.parent }));
    case 'settings.update':
      return fill(t['settings.update'], {
        who,
        changes: settingsChanges(t, before, after).join(', ') || '–',
      });
    case 'conflict.resolve':
      return fill(after.resolution === 'move_here' ? t['conflict.move_here'] : t['conflict.keep_central'], {
        who,
        id: row.entityId,
      });
    case 'weight.record': {
      const w = weighing(after, lang);
      const template =
        after.check === 'off'
          ? t['weight.recordOff']
          : after.check === 'ok'
            ? t['weight.recordOk']
            : t['weight.record'];
      return fill(template, { who, parent: after.parent, ...w });
    }
    case 'weight.later':
      return fill(t['weight.later'], { who, parent: after.parent, childCount: after.childCount });
    case 'weight.acknowledge':
      return fill(t['weight.acknowledge'], { who, parent: after.parent, gap: weighing(after, lang).gap });
    case 'label.reprint':
      return fill(t['label.reprint'], { who, parent: after.parent ?? after.parentCode ?? before.parent });
    case 'hardware.configure': {
      const changes = hardwareChanges(t, before, after);
      if (changes.length === 0) return fill(t['hardware.configureNothing'], { who });
      return fill(t['hardware.configure'], { who, changes: changes.join(', ') });
    }
    default:
      return fill(t.other, { who, what: row.entity });
  }
}
