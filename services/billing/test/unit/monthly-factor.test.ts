import { describe, expect, it } from 'vitest';
import { monthlyFactor } from '../../src/resolvers/operator-views.ts';

// Issue 14: MRR normalises each plan's period price to a month.
describe('monthlyFactor', () => {
  it('counts calendar months and years exactly', () => {
    expect(monthlyFactor('P1M')).toBe(1);
    expect(monthlyFactor('P3M')).toBeCloseTo(1 / 3, 12);
    expect(monthlyFactor('P1Y')).toBeCloseTo(1 / 12, 12);
  });

  it('scales day-based periods by the average month', () => {
    expect(monthlyFactor('P30D')).toBeCloseTo(365.25 / 12 / 30, 12);
    expect(monthlyFactor('PT1H')).toBeCloseTo((365.25 / 12) * 24, 6);
  });
});
