import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMISSION_BASIS_POINTS, commissionRateFromEnv } from '../../src/commissions.ts';

describe('BIL-11 commission rate from the environment', () => {
  it('defaults to 1000 basis points (10 %) when unset or blank', () => {
    expect(DEFAULT_COMMISSION_BASIS_POINTS).toBe(1000);
    expect(commissionRateFromEnv({})).toBe(1000);
    expect(commissionRateFromEnv({ PARTNER_COMMISSION_BASIS_POINTS: '  ' })).toBe(1000);
  });

  it('reads whole basis points from 0 to 10000', () => {
    expect(commissionRateFromEnv({ PARTNER_COMMISSION_BASIS_POINTS: '1500' })).toBe(1500);
    expect(commissionRateFromEnv({ PARTNER_COMMISSION_BASIS_POINTS: '0' })).toBe(0);
    expect(commissionRateFromEnv({ PARTNER_COMMISSION_BASIS_POINTS: '10000' })).toBe(10000);
  });

  it.each(['10%', '12.5', '-100', '10001', 'abc'])('refuses %j', (value) => {
    expect(() => commissionRateFromEnv({ PARTNER_COMMISSION_BASIS_POINTS: value })).toThrow(/PARTNER_COMMISSION_BASIS_POINTS/);
  });
});
