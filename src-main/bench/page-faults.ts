/**
 * What touching fresh memory costs on this machine: a new 4 KiB page faulted in and zeroed by the kernel. A
 * PostgreSQL backend that has just started touches thousands of pages on its first push, so this one figure
 * explains much of what a new connection costs at the centre.
 */
export function pageFaultMicros(megabytes = 64): number {
  const pages = (megabytes * 1024 * 1024) / 4096;
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    // Large and unpooled: the allocator maps fresh pages, so every write below is a first touch.
    const buffer = Buffer.allocUnsafeSlow(megabytes * 1024 * 1024);
    const t0 = performance.now();
    for (let off = 0; off < buffer.length; off += 4096) buffer[off] = 1;
    best = Math.min(best, ((performance.now() - t0) * 1000) / pages);
  }
  return Math.round(best * 100) / 100;
}
