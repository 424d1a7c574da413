import { inflateSync } from 'node:zlib';

/**
 * WOFF 1.0 to plain OpenType (SFNT), once per font per process. The fonts ship as the WOFF files of the
 * @fontsource packages; fontkit reads WOFF but inflates a table again on every read, with a JavaScript inflate,
 * which made a 500-parent dispatch note take seconds. Node's zlib does it once, in about a millisecond.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const stored = woff.readUInt32BE(at + 8);
    const length = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + stored);
    const data = stored < length ? inflateSync(raw) : raw;
    if (data.length !== length) throw new Error('a WOFF table does not inflate to its length');
    return { tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data };
  });
  let log2 = 0;
  while (1 << (log2 + 1) <= count) log2++;
  const searchRange = (1 << log2) * 16;
  const directory = Buffer.alloc(12 + 16 * count);
  directory.writeUInt32BE(flavor, 0);
  directory.writeUInt16BE(count, 4);
  directory.writeUInt16BE(searchRange, 6);
  directory.writeUInt16BE(log2, 8);
  directory.writeUInt16BE(count * 16 - searchRange, 10);
  const parts: Buffer[] = [directory];
  let offset = directory.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    t.tag.copy(directory, at);
    directory.writeUInt32BE(t.checksum, at + 4);
    directory.writeUInt32BE(offset, at + 8);
    directory.writeUInt32BE(t.data.length, at + 12);
    const pad = Buffer.alloc((4 - (t.data.length % 4)) % 4);
    parts.push(t.data, pad);
    offset += t.data.length + pad.length;
  });
  return Buffer.concat(parts);
}
