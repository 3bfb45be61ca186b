import { Mongoose } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { addDuration, isIsoDuration } from '@omurga/shared/durations';
import { planSchema, policySchema } from '../../src/models/catalogue.ts';
import { money } from '../../src/money.ts';
import type { ContractPolicy } from '../../src/lifecycle/index.ts';
import { contractPolicyDefinition, EXAMPLE_PLANS, planDefinition, POLICY_PRESETS, policyPreset, type PolicyPreset } from '../../src/presets.ts';

const DURATION_FIELDS = [
  'trialPeriod',
  'billingPeriod',
  'paymentDueAfter',
  'retryInterval',
  'suspendAfter',
  'terminateAfter',
  'terminationNotice',
  'dataDeletionAfterTermination',
  'resourceHoldPeriod',
  'cancellationNotice',
  'termsChangeNotice',
] as const satisfies readonly (keyof PolicyPreset)[];

// Models on a private, unconnected Mongoose: validation only, no database.
const mongoose = new Mongoose();
const PolicyModel = mongoose.model('PresetPolicy', policySchema);
const PlanModel = mongoose.model('PresetPlan', planSchema);

const T0 = Date.parse('2026-03-02T09:00:00+03:00');
const after = (...durations: (string | null)[]) => durations.reduce<number>((t, d) => (d ? addDuration(t, d) : t), T0);
const DAY = 86_400_000;

function preset(code: string): ContractPolicy {
  const found = policyPreset(code);
  if (!found) throw new Error(`no preset ${code}`);
  return contractPolicyDefinition.parse(found);
}

describe('SPEC §1 contract policy presets', () => {
  it('ships one preset per seed contract, with unique codes', () => {
    expect(POLICY_PRESETS.map((p) => p.code)).toEqual([
      'ecommerce-license-30d',
      'software-license-annual-support',
      'callcenter-rental',
      'omnichannel-saas',
      'omnichannel-saas-yearly',
      'enterprise-callcenter-annual',
    ]);
    expect(POLICY_PRESETS.map((p) => p.seedReference.slice(0, 4))).toEqual(['000 ', '001 ', '002 ', '003 ', '003 ', '004 ']);
  });

  it.each(POLICY_PRESETS.map((p) => [p.code, p] as const))('%s is a valid policy with ISO-8601 durations', (_code, preset) => {
    expect(contractPolicyDefinition.safeParse(preset).error).toBeUndefined();
    const p = contractPolicyDefinition.parse(preset);
    for (const field of DURATION_FIELDS) {
      const value = p[field];
      if (value !== null) expect(isIsoDuration(value), `${field} = ${value}`).toBe(true);
    }
    expect(p.seedReference).toMatch(/§\d/);
  });

  it.each(POLICY_PRESETS.map((p) => [p.code, p] as const))('%s fits the contract_policies schema without losing a field', async (_code, p) => {
    const doc = new PolicyModel({ ...p, version: 1 });
    await expect(doc.validate()).resolves.toBeUndefined();
    const stored = doc.toObject();
    for (const [field, value] of Object.entries(p)) expect(stored[field as keyof typeof stored], field).toEqual(value);
  });

  it('has a definition that rejects what the workflow cannot run', () => {
    const p = preset('callcenter-rental');
    expect(contractPolicyDefinition.safeParse({ ...p, billingPeriod: '30 days' }).success).toBe(false);
    expect(contractPolicyDefinition.safeParse({ ...p, paymentDueAfter: null }).success).toBe(false); // a transfer needs a due date
    expect(contractPolicyDefinition.safeParse({ ...p, paymentDueInBusinessDays: true, paymentDueAfter: 'P1M' }).success).toBe(false);
    expect(contractPolicyDefinition.safeParse({ ...p, lateFees: [{ amountMinor: 100, currency: 'EUR' }] }).success).toBe(false);
    expect(contractPolicyDefinition.safeParse({ ...p, surprise: true }).success).toBe(false);
  });

  it('never terminates before suspending, and warns within the termination window', () => {
    for (const p of POLICY_PRESETS.map((preset) => contractPolicyDefinition.parse(preset))) {
      if (p.terminateAfter === null) continue;
      expect(after(p.suspendAfter ?? 'PT0S'), p.code).toBeLessThanOrEqual(after(p.terminateAfter));
      if (p.terminationNotice) expect(after(p.terminationNotice), p.code).toBeLessThanOrEqual(after(p.terminateAfter));
    }
  });

  it('e-commerce licence [000 §4.1, §4.5-4.8, §6.7, §7.5, §8.7]: card trial, 30-day periods, 3 attempts, immediate deletion', () => {
    expect(preset('ecommerce-license-30d')).toMatchObject({
      trialPeriod: 'P14D',
      trialRequiresPaymentMethod: true,
      trialEndAction: 'CONVERT',
      billingPeriod: 'P30D',
      collectionMethod: 'CARD_AUTO',
      maxCollectionAttempts: 3,
      retryInterval: 'P2D',
      suspendAfter: null,
      terminateAfter: 'P14D',
      dataDeletionAfterTermination: 'PT0S',
      cancellationNotice: 'PT0S',
      termsChangeNotice: 'P90D',
      firstInvoiceStampDutyPpm: 4740, // half of 0.948 %
    });
  });

  it('software licence [001 §2.3, §5.3.1]: yearly support, automatic late fee, terms bind after 24 hours', () => {
    const p = preset('software-license-annual-support');
    expect(p).toMatchObject({ billingPeriod: 'P1Y', termsChangeNotice: 'PT24H', lateInterestMonthlyBasisPoints: null });
    expect(p.lateFees.map((fee) => fee.currency).sort()).toEqual(['TRY', 'USD']);
  });

  it('call-centre rental [002 §9]: suspended 7 days after the invoice, terminated at 14, data deleted', () => {
    const p = preset('callcenter-rental');
    expect(p).toMatchObject({ collectionMethod: 'BANK_TRANSFER', paymentDueAfter: 'P7D', paymentDueInBusinessDays: false, dataDeletionAfterTermination: 'PT0S' });
    const invoiced = T0;
    expect(after(p.paymentDueAfter, p.suspendAfter) - invoiced).toBe(7 * DAY);
    expect(after(p.paymentDueAfter, p.terminateAfter) - invoiced).toBe(14 * DAY);
  });

  it('omnichannel SaaS [003 §5.9-5.10, §6.4.1-6.4.2, §7.2.2]: card-less trial that ends unless confirmed, EFT in 7 business days', () => {
    for (const code of ['omnichannel-saas', 'omnichannel-saas-yearly']) {
      expect(preset(code)).toMatchObject({
        trialPeriod: 'P14D',
        trialRequiresPaymentMethod: false,
        trialEndAction: 'CANCEL_UNLESS_CONFIRMED',
        collectionMethod: 'BANK_TRANSFER',
        paymentDueAfter: 'P7D',
        paymentDueInBusinessDays: true,
        cancellationNotice: 'P30D',
        termsChangeNotice: 'PT0S',
      });
    }
    expect(preset('omnichannel-saas').billingPeriod).toBe('P1M');
    expect(preset('omnichannel-saas-yearly').billingPeriod).toBe('P1Y');
  });

  it("enterprise call centre [004 §6.3, §11.3, §13]: annual in advance, 0.5 %/month, 7-day notice, 30 days' holds", () => {
    expect(preset('enterprise-callcenter-annual')).toMatchObject({
      billingPeriod: 'P1Y',
      collectionMethod: 'ADVANCE',
      lateInterestMonthlyBasisPoints: 50,
      terminationNotice: 'P7D',
      resourceHoldPeriod: 'P30D',
      cancellationNotice: 'P30D',
      trialPeriod: null,
    });
  });
});

describe('BIL-1 example catalogue', () => {
  const byCode = new Map(EXAMPLE_PLANS.map((plan) => [plan.code, plan]));
  const plan = (code: string) => {
    const found = byCode.get(code);
    if (!found) throw new Error(`no plan ${code}`);
    return found;
  };

  it('has unique plan codes, each on an existing policy', () => {
    expect(byCode.size).toBe(EXAMPLE_PLANS.length);
    const policies = new Set(POLICY_PRESETS.map((p) => p.code));
    for (const p of EXAMPLE_PLANS) expect(policies.has(p.policyCode), `${p.code} → ${p.policyCode}`).toBe(true);
    // every preset is used by at least one plan
    expect(new Set(EXAMPLE_PLANS.map((p) => p.policyCode))).toEqual(policies);
  });

  it.each(EXAMPLE_PLANS.map((p) => [p.code, p] as const))('%s is a valid plan that fits the plans schema', async (_code, p) => {
    expect(planDefinition.safeParse(p).error).toBeUndefined();
    const doc = new PlanModel({ ...p, version: 1 });
    await expect(doc.validate()).resolves.toBeUndefined();
    expect(doc.toObject()).toMatchObject(p);
    // everything is priced in the plan's currencies, so any subscription currency can be invoiced
    const currencies = p.prices.map((price) => price.currency).sort();
    for (const item of [...p.addOns, ...p.oneOffFees]) expect(item.prices.map((price) => price.currency).sort()).toEqual(currencies);
    for (const meter of p.meters) expect(meter.unitPrices.map((price) => price.currency).sort()).toEqual(currencies);
  });

  it('offers the omnichannel packages [003 §2] monthly and yearly at exactly −20 % [003 §6.2]', () => {
    for (const pkg of ['CRM', 'CALL-CENTER', 'PRO-HUB', 'ENTERPRISE-HUB']) {
      const monthly = plan(`${pkg}-MONTHLY`);
      const yearly = plan(`${pkg}-YEARLY`);
      expect(monthly.policyCode).toBe('omnichannel-saas');
      expect(yearly.policyCode).toBe('omnichannel-saas-yearly');
      const [m] = monthly.prices;
      const [y] = yearly.prices;
      expect(y!.currency).toBe('TRY');
      expect(y!.amountMinor * 10_000).toBe(m!.amountMinor * 12 * 8_000);
      // add-ons [003 §6.3]: the discount is on the package only, add-ons are twelve months
      expect(yearly.addOns.map((a) => a.code)).toEqual(monthly.addOns.map((a) => a.code));
      monthly.addOns.forEach((addOn, i) => expect(yearly.addOns[i]!.prices[0]!.amountMinor).toBe(addOn.prices[0]!.amountMinor * 12));
    }
    expect(plan('CRM-MONTHLY').addOns.map((a) => a.code)).toEqual(['EXTRA-USER', 'EXTRA-OPERATOR', 'EXTENSION', 'CHAT-TOOL', 'EMAIL-ACCOUNT', 'INTEGRATION']);
  });

  it('sells the e-commerce licence in USD with a non-refundable installation fee [000 §4.5, §5.7]', () => {
    const p = plan('ECOMMERCE-SELF-SERVICE');
    expect(p.policyCode).toBe('ecommerce-license-30d');
    expect(p.prices.map((price) => price.currency)).toEqual(['USD']);
    expect(p.oneOffFees.map((fee) => fee.code)).toEqual(['INSTALLATION']);
  });

  it('prices the enterprise list per year [004 §6.1-6.3]: $100/month maintenance, $88/user/month, prepaid $0.0188/min with a $100 minimum', () => {
    const p = plan('ENTERPRISE-CALLCENTER');
    expect(p.policyCode).toBe('enterprise-callcenter-annual');
    expect(p.prices).toEqual([money(120_000, 'USD')]);
    expect(p.addOns).toEqual([{ code: 'USER', name: 'Cloud call-centre user', prices: [money(105_600, 'USD')] }]);
    expect(p.meters).toEqual([
      { code: 'MINUTES', name: 'Call minutes', unit: 'min', includedQuantity: 0, unitPrices: [{ amountMicros: 18_800, currency: 'USD' }], prepaid: true },
    ]);
    expect(p.prepaidMinimums).toEqual([money(10_000, 'USD')]);
  });

  it('bills the software licence once and its support yearly [001 §5.1.2], and rents the call centre monthly [002]', () => {
    expect(plan('SOFTWARE-LICENSE')).toMatchObject({ policyCode: 'software-license-annual-support', oneOffFees: [{ code: 'LICENSE' }] });
    expect(plan('CALLCENTER-RENTAL')).toMatchObject({ policyCode: 'callcenter-rental', addOns: [{ code: 'AGENT' }] });
  });
});
