/**
 * Command barcodes: printed on the command sheet so a dock worker can work with the scanner alone. They are
 * not bag codes: the station records a read of one as a scan with the outcome 'command' (core/scan-service.ts),
 * links nothing, and the screens run the command (src-renderer/app/App.tsx) instead of showing a read.
 */
export const commandCodes = {
  undo: 'CMD-UNDO',
  completeParent: 'CMD-COMPLETE',
  newBill: 'CMD-NEWBILL',
  logout: 'CMD-LOGOUT',
  ack: 'CMD-ACK',
} as const;

export type Command = keyof typeof commandCodes;

export function commandOf(code: string): Command | null {
  const normalized = code.trim().toUpperCase();
  const found = Object.entries(commandCodes).find(([, value]) => value === normalized);
  return found ? (found[0] as Command) : null;
}

/**
 * Whether a normalized code is a command barcode at all: CMD- and letters. The station records every such read
 * as a command, one it does not know too (a newer command sheet), so it never becomes a bag.
 */
export function isCommandCode(code: string): boolean {
  return /^CMD-[A-Z]+$/.test(code);
}
