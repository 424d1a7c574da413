/** A read that counted: which code an input read, and when. */
interface CountedRead {
  code: string;
  at: number;
}

/** How many inputs the memory keeps: far more than the scanners of one station; the least recent go first. */
export const READ_MEMORY_LIMIT = 64;

/**
 * The double-read memory: the last counted read of each input, keyed by the input the station knows (a serial
 * port, the API), never by a name a caller chose. It is bounded (least recently used dropped first), and a read
 * enters it only once its transaction has committed: a read whose commit failed is not remembered, so reading
 * it again is not taken for a double read. Reads in a transaction still open are held as pending, so a second
 * read in the same group commit still sees the first.
 */
export function createReadMemory(limit = READ_MEMORY_LIMIT) {
  const committed = new Map<string, CountedRead>();
  let pending: [string, CountedRead][] = [];

  function last(source: string): CountedRead | undefined {
    for (let i = pending.length - 1; i >= 0; i--) if (pending[i]![0] === source) return pending[i]![1];
    return committed.get(source);
  }

  return {
    /** The same code from the same input within the window of the last read that counted. */
    isDoubleRead(source: string, code: string, at: number, windowMs: number): boolean {
      const previous = last(source);
      return !!previous && previous.code === code && at - previous.at < windowMs;
    },
    /** A counted read whose transaction has ended well; it counts once that transaction commits. */
    note(source: string, code: string, at: number): void {
      pending.push([source, { code, at }]);
    },
    committed(): void {
      for (const [source, read] of pending) {
        committed.delete(source);
        committed.set(source, read);
        if (committed.size > limit) committed.delete(committed.keys().next().value!);
      }
      pending = [];
    },
    rolledBack(): void {
      pending = [];
    },
    /**
     * The code's bag changed since it was read (undone, taken out, moved): its last read no longer stands, so
     * reading it again from any input counts at once instead of being taken for a double read.
     */
    forget(code: string): void {
      for (const [source, read] of committed) if (read.code === code) committed.delete(source);
      pending = pending.filter(([, read]) => read.code !== code);
    },
    get size(): number {
      return committed.size;
    },
  };
}

export type ReadMemory = ReturnType<typeof createReadMemory>;
