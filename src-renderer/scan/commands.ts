/**
 * Command barcodes: printed on the command sheet so a dock worker can work with the scanner alone. They are
 * not bag codes (a dash after CMD matches no bag pattern), so a serial scanner's read of one reaches the
 * screens as a rejected scan, and the screens run the command instead of showing an error.
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
