import { statSync } from 'node:fs';
import { enrolmentPath, readEnrolmentFile, type EnrolmentFile } from './config.ts';

/**
 * The enrolment (central.json) kept in memory, read again only when its file changed: `join`, `recover` and
 * `restore` write it from other processes while the station serves, always by renaming a new file into place,
 * so a change shows as another inode, size or change time. A status call costs one stat, not a read and a parse.
 * A file that is not an enrolment is kept as damaged (never its text). `onChange` hears each reread.
 */
export function cachedEnrolment(
  dataDir: string,
  onChange: (file: EnrolmentFile) => void = () => undefined,
): () => EnrolmentFile {
  const path = enrolmentPath(dataDir);
  let seen: string | null = null;
  let file: EnrolmentFile = { kind: 'absent' };
  return () => {
    const s = statSync(path, { bigint: true, throwIfNoEntry: false });
    const identity = s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : 'absent';
    if (identity !== seen) {
      file = s ? readEnrolmentFile(dataDir) : { kind: 'absent' };
      seen = identity;
      onChange(file);
    }
    return file;
  };
}
