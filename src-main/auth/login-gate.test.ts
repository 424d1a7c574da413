import { describe, expect, it } from 'vitest';
import { createLoginGate } from './login-gate.ts';

describe('login gate', () => {
  it('runs at most two checks at once per account, in order, and other accounts alongside', async () => {
    const through = createLoginGate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const check = (n: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      order.push(n);
      running--;
      return n;
    };
    const results = await Promise.all(Array.from({ length: 6 }, (_, n) => through('a', check(n))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    most = 0;
    await Promise.all([through('a', check(0)), through('b', check(1)), through('c', check(2))]);
    expect(most).toBe(3);
  });

  it('a check that throws gives its place to the next one', async () => {
    const through = createLoginGate(1);
    const failed = through('a', () => Promise.reject(new Error('no')));
    const next = through('a', () => Promise.resolve('yes'));
    await expect(failed).rejects.toThrow('no');
    expect(await next).toBe('yes');
  });
});
