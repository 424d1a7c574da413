const lookAlikes: Record<string, string> = {
  O: '0',
  '0': 'O',
  I: '1',
  '1': 'I',
  S: '5',
  '5': 'S',
  B: '8',
  '8': 'B',
  Z: '2',
  '2': 'Z',
};

/**
 * Codes a misread or mistyped code may have meant: one look-alike character swapped (O/0, I/1, S/5, B/8,
 * Z/2), two neighbours swapped, or a parent number missing its leading zeros. At most `limit` candidates.
 */
export function nearMisses(code: string, limit = 12): string[] {
  const found = new Set<string>();
  const padded = /^(SB|M444-)(\d{1,4})$/.exec(code);
  if (padded) found.add(padded[1]! + padded[2]!.padStart(5, '0'));
  for (let i = 0; i < code.length; i++) {
    const swap = lookAlikes[code[i]!];
    if (swap) found.add(code.slice(0, i) + swap + code.slice(i + 1));
  }
  for (let i = 0; i + 1 < code.length; i++) {
    if (code[i] !== code[i + 1]) found.add(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2));
  }
  found.delete(code);
  return [...found].slice(0, limit);
}
