/**
 * The answer to `~HS` (Host Status Return), as the ZPL II Programming Guide gives it
 * (docs.zebra.com/us/en/printers/software/zpl-pg/zpl-commands/~hs4.html): three strings, each STX ... ETX CR LF.
 *   String 1  aaa,b,c,dddd,eee,f,g,h,iii,j,k,l
 *             b paper out, c pause, dddd label length (dots), eee formats in the receive buffer, f buffer full,
 *             g communications diagnostic mode, h partial format, j corrupt RAM, k under / l over temperature
 *   String 2  mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www
 *             o head up (open), p ribbon out, q thermal transfer mode, r print mode, t label waiting (peel-off),
 *             uuuuuuuu labels remaining in the batch
 *   String 3  xxxx,y   password, static RAM installed
 * The guide also says a printer in MEDIA OUT, RIBBON OUT, HEAD OPEN, REWINDER FULL or HEAD OVER-TEMPERATURE may
 * not answer at all, so silence is "sent, unconfirmed", never "fine".
 */

export const HOST_STATUS_QUERY = '~HS';

const STX = 0x02;
const ETX = 0x03;

/** The conditions that stop a label from printing, in the order the header names them. */
export type PrinterProblem =
  | 'paper_out'
  | 'ribbon_out'
  | 'head_open'
  | 'paused'
  | 'buffer_full'
  | 'corrupt_ram'
  | 'under_temperature'
  | 'over_temperature';

export interface HostStatus {
  problems: PrinterProblem[];
  /** Formats received and not yet printed. */
  formatsInBuffer: number;
  labelsRemaining: number;
  partialFormat: boolean;
  labelLengthDots: number;
}

/** The STX ... ETX strings complete so far in `bytes` (a reply may come in pieces). */
export function hostStatusStrings(bytes: Buffer): string[] {
  const strings: string[] = [];
  let start = -1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === STX) start = i + 1;
    else if (bytes[i] === ETX && start >= 0) {
      strings.push(bytes.subarray(start, i).toString('latin1'));
      start = -1;
    }
  }
  return strings;
}

/** True once the reply holds the three strings (the third is not needed, but ends the answer). */
export function hostStatusComplete(bytes: Buffer): boolean {
  return hostStatusStrings(bytes).length >= 3;
}

/** Reads the first two strings; undefined when they are missing or not the fields above. */
export function parseHostStatus(bytes: Buffer): HostStatus | undefined {
  const [first, second] = hostStatusStrings(bytes).map((s) => s.split(',').map((field) => field.trim()));
  if (!first || !second || first.length < 12 || second.length < 11) return undefined;
  if (![...first, ...second].every((field) => /^\d+$/.test(field))) return undefined;
  const flag = (fields: string[], index: number) => fields[index] === '1';
  const problems: PrinterProblem[] = [];
  const add = (set: boolean, problem: PrinterProblem) => (set ? problems.push(problem) : undefined);
  add(flag(first, 1), 'paper_out');
  add(flag(second, 3), 'ribbon_out');
  add(flag(second, 2), 'head_open');
  add(flag(first, 2), 'paused');
  add(flag(first, 5), 'buffer_full');
  add(flag(first, 9), 'corrupt_ram');
  add(flag(first, 10), 'under_temperature');
  add(flag(first, 11), 'over_temperature');
  return {
    problems,
    formatsInBuffer: Number(first[4]),
    labelsRemaining: Number(second[8]),
    partialFormat: flag(first, 7),
    labelLengthDots: Number(first[3]),
  };
}
