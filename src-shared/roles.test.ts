import { describe, expect, it } from 'vitest';
import { roleAtLeast, roles } from './roles.ts';

describe('the role rank table', () => {
  it('orders dock below supervisor below admin', () => {
    expect(roles).toEqual(['dock', 'supervisor', 'admin']);
  });

  it('lets each role do what every lower role may, and nothing higher', () => {
    const may = roles.map((role) => roles.filter((needed) => roleAtLeast(role, needed)));
    expect(may).toEqual([['dock'], ['dock', 'supervisor'], ['dock', 'supervisor', 'admin']]);
  });
});
