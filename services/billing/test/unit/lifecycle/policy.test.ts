import { describe, expect, it } from 'vitest';
import { contractPolicy, lateCharges, MAX_AMOUNT_MINOR, MAX_API_INT, type ContractPolicyInput } from '../../../src/lifecycle/index.ts';
import { POLICY_PRESETS } from '../../../src/presets.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const base: ContractPolicyInput = {
  code: 'test-policy',
  name: 'Test',
  trialPeriod: null,
  trialRequiresPaymentMethod: false,
  billingPeriod: 'P1M',
  collectionMethod: 'CARD_AUTO',
  maxCollectionAttempts: 3,
  retryInterval: 'P2D',
  dataDeletionAfterTermination: 'PT0S',
  cancellationNotice: 'PT0S',
  termsChangeNotice: 'P30D',
};

/** The codes of the problems a policy has, by field. */
function problems(overrides: Partial<ContractPolicyInput>): string[] {
  const result = contractPolicy.safeParse({ ...base, ...overrides });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the contract policy, defined once (issue 12)', () => {
  it('every preset is a valid policy, and a preset without the new terms reads as it always behaved', () => {
    for (const preset of POLICY_PRESETS) {
      const parsed = contractPolicy.parse(preset);
      expect(parsed.code).toBe(preset.code);
    }
    expect(contractPolicy.parse(base)).toMatchObject({
      trialPlanCode: null,
      oneTrialPerOrganization: false,
      advanceRequiresPaymentMethod: false,
      advancePeriodStartsOnPayment: false,
      lateFeeGrace: 'PT0S',
      lateInterestAccrual: 'PER_STARTED_DAY',
      dataDeletionAfterCancellation: null,
      resourceHoldAfterCancellation: null,
      resourceHoldStartsAt: 'END',
      licensedResourceLimits: [],
    });
  });

  it('bounds every duration: no PT0S period, nothing past twenty years, no thousand-digit count', () => {
    expect(problems({ billingPeriod: 'PT0S' })).toEqual(['billingPeriod: DURATION_TOO_SHORT']);
    expect(problems({ retryInterval: 'PT0.5S' })).toEqual(['retryInterval: INVALID_DURATION']);
    expect(problems({ billingPeriod: 'PT1S' })).toEqual([]);
    expect(problems({ billingPeriod: 'P20Y' })).toEqual([]);
    expect(problems({ billingPeriod: 'P20Y1D' })).toEqual(['billingPeriod: DURATION_TOO_LONG']);
    expect(problems({ termsChangeNotice: `P${'9'.repeat(1000)}D` })).toEqual(['termsChangeNotice: DURATION_TOO_LONG']);
    expect(problems({ trialPeriod: 'P0D' })).toEqual(['trialPeriod: DURATION_TOO_SHORT']);
    expect(problems({ cancellationNotice: 'PT0S' })).toEqual([]);
  });

  it('bounds every quantity so no invoice total can overflow the API (GraphQL Int is 32-bit)', () => {
    expect(MAX_AMOUNT_MINOR * 2).toBeLessThan(MAX_API_INT);
    expect(problems({ lateFees: [{ amountMinor: MAX_AMOUNT_MINOR + 1, currency: 'TRY' }] })).toEqual(['lateFees.0.amountMinor: AMOUNT_TOO_LARGE']);
    expect(problems({ lateFees: [{ amountMinor: 1.5, currency: 'TRY' }] })).toEqual(['lateFees.0.amountMinor: MUST_BE_INTEGER']);
    expect(problems({ lateFees: [{ amountMinor: 100, currency: 'EUR' }] })).toEqual(['lateFees.0.currency: UNSUPPORTED_CURRENCY']);
    expect(problems({ lateFees: [{ amountMinor: 1, currency: 'TRY' }, { amountMinor: 2, currency: 'TRY' }] })).toEqual(['lateFees: DUPLICATE_CURRENCY']);
    expect(problems({ maxCollectionAttempts: 0 })).toEqual(['maxCollectionAttempts: MUST_BE_POSITIVE']);
    expect(problems({ maxCollectionAttempts: 11 })).toEqual(['maxCollectionAttempts: TOO_LARGE']);
    expect(problems({ lateInterestMonthlyBasisPoints: 10_001 })).toEqual(['lateInterestMonthlyBasisPoints: TOO_LARGE']);
    expect(problems({ firstInvoiceStampDutyPpm: 100_001 })).toEqual(['firstInvoiceStampDutyPpm: TOO_LARGE']);
    expect(problems({ licensedResourceLimits: [{ kind: 'WEBSITE', max: 1 }, { kind: 'WEBSITE', max: 2 }] })).toEqual(['licensedResourceLimits: DUPLICATE_CODE']);
  });

  it('enforces the rules between fields, each blaming its field', () => {
    expect(problems({ suspendAfter: 'P14D', terminateAfter: 'P7D' })).toEqual(['suspendAfter: SUSPENSION_AFTER_TERMINATION']);
    expect(problems({ terminationNotice: 'P7D' })).toEqual(['terminationNotice: TERMINATION_REQUIRED']);
    expect(problems({ terminateAfter: 'P7D', terminationNotice: 'P8D' })).toEqual(['terminationNotice: NOTICE_LONGER_THAN_TERMINATION']);
    expect(problems({ trialEndAction: 'CANCEL_UNLESS_CONFIRMED' })).toEqual(['trialEndAction: TRIAL_REQUIRED']);
    expect(problems({ trialPlanCode: 'PRO-HUB-MONTHLY' })).toEqual(['trialPlanCode: TRIAL_REQUIRED']);
    expect(problems({ oneTrialPerOrganization: true })).toEqual(['oneTrialPerOrganization: TRIAL_REQUIRED']);
    expect(problems({ advanceRequiresPaymentMethod: true })).toEqual(['advanceRequiresPaymentMethod: ADVANCE_ONLY']);
    expect(problems({ advancePeriodStartsOnPayment: true })).toEqual(['advancePeriodStartsOnPayment: ADVANCE_ONLY']);
    expect(problems({ collectionMethod: 'BANK_TRANSFER' })).toEqual(['paymentDueAfter: PAYMENT_DUE_REQUIRED']);
    expect(problems({ collectionMethod: 'BANK_TRANSFER', paymentDueAfter: 'PT36H', paymentDueInBusinessDays: true })).toEqual(['paymentDueInBusinessDays: BUSINESS_DAYS_NEED_WHOLE_DAYS']);
    expect(problems({ cancellationNotice: 'P2M' })).toEqual(['cancellationNotice: NOTICE_LONGER_THAN_PERIOD']);
    expect(problems({ resourceHoldStartsAt: 'SUSPENSION' })).toEqual(['resourceHoldStartsAt: HOLD_REQUIRED']);
    expect(problems({ unknownField: 1 } as Partial<ContractPolicyInput>)).toEqual([': Unrecognized key: "unknownField"']);
  });
});

describe('late charges in exact durations [001 §5.3.1, 004 §6.3]', () => {
  const dueAt = Date.UTC(2027, 2, 1, 9);
  const fee = { lateFeeGrace: 'PT0S', lateInterestMonthlyBasisPoints: null, lateInterestAccrual: 'PER_STARTED_DAY' } as const;

  it('an invoice paid 23 h 59 min late gets the late fee (whole days no longer hide it)', () => {
    expect(lateCharges(fee, { totalMinor: 100_000, dueAt, paidAt: dueAt + 23 * HOUR + 59 * 60_000 }).fee).toBe(true);
    expect(lateCharges(fee, { totalMinor: 100_000, dueAt, paidAt: dueAt }).fee).toBe(false);
  });

  it('a seconds-long grace works as a day-long one: within it nothing, past it the fee', () => {
    const graced = { ...fee, lateFeeGrace: 'PT5S' } as const;
    expect(lateCharges(graced, { totalMinor: 100_000, dueAt, paidAt: dueAt + 5_000 }).fee).toBe(false);
    expect(lateCharges(graced, { totalMinor: 100_000, dueAt, paidAt: dueAt + 5_001 }).fee).toBe(true);
    expect(lateCharges(graced, { totalMinor: 100_000, dueAt, paidAt: dueAt + 2 * HOUR }).fee).toBe(true);
  });

  it('late interest per started day counts a minute as a day; pro rata counts the exact time', () => {
    const interest = { lateFeeGrace: 'PT0S', lateInterestMonthlyBasisPoints: 50 } as const;
    // 0.5 % a month of 1 000 000 = 5 000 a month, 166.67 a day.
    expect(lateCharges({ ...interest, lateInterestAccrual: 'PER_STARTED_DAY' }, { totalMinor: 1_000_000, dueAt, paidAt: dueAt + 60_000 }).interestMinor).toBe(167);
    expect(lateCharges({ ...interest, lateInterestAccrual: 'PER_STARTED_DAY' }, { totalMinor: 1_000_000, dueAt, paidAt: dueAt + DAY + 1 }).interestMinor).toBe(333);
    expect(lateCharges({ ...interest, lateInterestAccrual: 'PRO_RATA' }, { totalMinor: 1_000_000, dueAt, paidAt: dueAt + 12 * HOUR }).interestMinor).toBe(83);
    expect(lateCharges({ ...interest, lateInterestAccrual: 'PRO_RATA' }, { totalMinor: 1_000_000, dueAt, paidAt: dueAt + 30 * DAY }).interestMinor).toBe(5_000);
  });
});
