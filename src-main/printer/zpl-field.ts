/**
 * Field data for ZPL. `^` and `~` start commands anywhere in a format, so no field may carry them raw.
 * - Code 128 (^BC) data uses its own invocation codes (ZPL II Programming Guide, ^BC, "Code 128 Invocation
 *   Characters"): `><` is `^`, `>0` is `>` and `>=` is `~` in subset B, which `>:` selects.
 * - Other fields are written after ^FH, which turns `_` plus two hex digits into that byte: `^`, `~`, `_` and every
 *   byte outside printable ASCII are written so; with ^CI28 the bytes are UTF-8.
 */

const CODE128_B_ESCAPES: Record<string, string> = { '^': '><', '>': '>0', '~': '>=' };

/** The first character of `code` a Code 128 subset B barcode cannot carry (outside printable ASCII), if any. */
export function firstNonCode128Char(code: string): string | undefined {
  return [...code].find((char) => char < ' ' || char > '~');
}

/** ^FD data of a subset-B Code 128 for a printable-ASCII code (check with firstNonCode128Char first). */
export function code128FieldData(code: string): string {
  return '>:' + [...code].map((char) => CODE128_B_ESCAPES[char] ?? char).join('');
}

/** ^FD data to put after ^FH: control characters dropped, special and non-ASCII bytes hex-escaped. */
export function hexFieldData(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text.replace(/[\p{Cc}]/gu, ''), 'utf8')) {
    const plain = byte >= 0x20 && byte <= 0x7e && byte !== 0x5e && byte !== 0x7e && byte !== 0x5f;
    out += plain ? String.fromCharCode(byte) : '_' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
