import { describe, expect, it } from 'vitest';
import { framingOf, scaleConfigSchema } from './config.ts';
import { createReadingStream } from './reading-stream.ts';

describe('scale settings', () => {
  it('takes a full config and fills the framing with 9600 8N1', () => {
    const config = scaleConfigSchema.parse({ path: '/dev/ttyUSB0', protocol: 'sics', minKg: 1, maxKg: 60 });
    expect(framingOf(config)).toEqual({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    const toledo = scaleConfigSchema.parse({
      path: '/dev/ttyUSB1',
      protocol: 'continuous',
      dataBits: 7,
      parity: 'even',
      checksum: true,
    });
    expect(framingOf(toledo)).toMatchObject({ dataBits: 7, parity: 'even' });
  });

  it('refuses an unsafe or unreadable pattern, unknown keys, and a range upside down', () => {
    const refused = scaleConfigSchema.safeParse({
      path: '/dev/ttyUSB0',
      protocol: 'ascii',
      pattern: '{any}{value}',
    });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain('{any}');
    expect(scaleConfigSchema.safeParse({ path: '/dev/x', protocol: 'sics', regex: '(a+)+' }).success).toBe(
      false,
    );
    expect(
      scaleConfigSchema.safeParse({ path: '/dev/x', protocol: 'sics', minKg: 5, maxKg: 1 }).success,
    ).toBe(false);
    expect(scaleConfigSchema.safeParse({ path: '/dev/x', protocol: 'ascii', request: 'P\r' }).success).toBe(
      false,
    );
  });

  it('gives the pattern problem as a code when a reader is made from an unchecked config', () => {
    const made = createReadingStream({ protocol: 'ascii', pattern: '{weight}' });
    expect(made).toMatchObject({
      ok: false,
      problem: { code: 'scale_pattern_field_unknown', params: { field: '{weight}' } },
    });
  });
});
