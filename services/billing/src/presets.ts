import { z } from 'zod';
import { contractPolicy, type ContractPolicyInput } from './lifecycle/index.ts';
import { isSupportedCurrency, money, yearlyPrice } from './money.ts';

/**
 * Ready contract policies, one per seed contract (SPEC §1), and an example
 * catalogue of plans using them (BIL-1). Seed clause numbers follow SPEC.md;
 * where a seed is silent the choice and its reason are in a comment.
 *
 * What the subscription workflow reads from a policy: suspendAfter and
 * terminateAfter count from the first failed card attempt (CARD_AUTO) or from
 * the due date (BANK_TRANSFER, ADVANCE); suspendAfter null = suspend right
 * after the last failed attempt; terminateAfter null = never automatically.
 * BANK_TRANSFER and ADVANCE invoices are collected once (maxCollectionAttempts
 * 1), so their retryInterval is not used.
 */

/** A preset is a contract policy as defined once in lifecycle/policy.ts, with its seed reference. */
export type PolicyPreset = ContractPolicyInput & { name: string; seedReference: string };
/** Presets and operators' policies are validated by the one policy schema. */
export const contractPolicyDefinition = contractPolicy;

const currency = z.string().refine((c): boolean => isSupportedCurrency(c), 'UNSUPPORTED_CURRENCY');
const moneyDefinition = z.object({ amountMinor: z.number().int().nonnegative(), currency }).strict();
const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'INVALID_CODE');

const pricedItem = z.object({ code, name: z.string().min(1), prices: z.array(moneyDefinition).min(1) }).strict();

/** A plan as an operator or the example catalogue defines it (no id, no version). */
export const planDefinition = z
  .object({
    code,
    name: z.string().min(1),
    policyCode: code,
    prices: z.array(moneyDefinition).min(1),
    addOns: z.array(pricedItem),
    meters: z.array(
      z
        .object({
          code,
          name: z.string().min(1),
          unit: z.string().min(1),
          includedQuantity: z.number().int().nonnegative(),
          unitPrices: z
            .array(z.object({ amountMicros: z.number().int().nonnegative(), currency }).strict())
            .min(1),
          prepaid: z.boolean(),
        })
        .strict(),
    ),
    oneOffFees: z.array(pricedItem),
    prepaidMinimums: z.array(moneyDefinition),
  })
  .strict();
export type PlanDefinition = z.infer<typeof planDefinition>;

/** Defaults of the fields most presets leave alone. */
const BASE = {
  trialPeriod: null,
  trialRequiresPaymentMethod: false,
  trialEndAction: 'CONVERT',
  paymentDueAfter: null,
  paymentDueInBusinessDays: false,
  terminationNotice: null,
  resourceHoldPeriod: null,
  lateInterestMonthlyBasisPoints: null,
  lateFees: [],
  firstInvoiceStampDutyPpm: null,
} as const satisfies Partial<PolicyPreset>;

/** [000] Alegra "Self Service" e-commerce licence: 14-day trial after a card payment, 30-day periods charged to the card. */
const ecommerceLicense30d: PolicyPreset = {
  ...BASE,
  code: 'ecommerce-license-30d',
  name: 'E-commerce licence, 30-day periods',
  seedReference:
    '000 §4.1 (14-day free trial), §4.5 (card only; trial starts after the card payment, then the card is charged), ' +
    '§4.6 (30-day periods, renewed and charged automatically), §4.7 (collection retried 3 times in total, e-mail on each failure, ' +
    'then suspension and deletion), §4.8 (cancel by the last day of the period, else the next period), §4.9 (no partial refunds), ' +
    '§5.5 (one website address), §6.7 (terms changes 90 days ahead by e-mail), §7.5 (data deleted immediately on termination), ' +
    "§8.7 (stamp duty shared equally; the customer's half billed on the first 30-day invoice)",
  trialPeriod: 'P14D',
  trialRequiresPaymentMethod: true,
  billingPeriod: 'P30D',
  collectionMethod: 'CARD_AUTO',
  maxCollectionAttempts: 3,
  retryInterval: 'P2D',
  suspendAfter: null,
  // The seed says "suspend and delete" after the third failure without a date;
  // two weeks after the first failure leaves time to update the card (BIL-6).
  terminateAfter: 'P14D',
  // Seed silent: data goes at termination [§7.5], so warn a week ahead.
  terminationNotice: 'P7D',
  dataDeletionAfterTermination: 'PT0S',
  // The website address goes with the data [§7.5].
  resourceHoldPeriod: 'PT0S',
  cancellationNotice: 'PT0S',
  termsChangeNotice: 'P90D',
  // §7.5: the data goes when the agreement ends for any reason, a cancellation too; so does the website address.
  dataDeletionAfterCancellation: 'PT0S',
  resourceHoldAfterCancellation: 'PT0S',
  // §5.5: one website address.
  licensedResourceLimits: [{ kind: 'WEBSITE', max: 1 }],
  // Damga Vergisi Kanunu table (1) I/A-1: 0.948 % on contracts with an amount;
  // the seed splits it equally [§8.7], so the customer's half is 0.474 %.
  firstInvoiceStampDutyPpm: 4740,
};

/** [001] WHMCSTR domain-bound software licence: one-off licence with a year of support, then yearly support invoices. */
const softwareLicenseAnnualSupport: PolicyPreset = {
  ...BASE,
  code: 'software-license-annual-support',
  name: 'Software licence with annual support',
  seedReference:
    '001 §2.3 (revisions bind 24 hours after publication), §3 (licence bound to one domain), §5.1.2 (price includes 1 year ' +
    'of updates & support, then a yearly support invoice), §5.1.3 (a lapsed customer pays the unpaid support years on renewal), ' +
    '§5.3.1 (automatic late fee on the invoice)',
  billingPeriod: 'P1Y',
  // §5.1.2: the customer pays the year-end support invoice; no stored card.
  collectionMethod: 'BANK_TRANSFER',
  // Seed silent: a week to pay, as for the other transfer contracts.
  paymentDueAfter: 'P7D',
  maxCollectionAttempts: 1,
  retryInterval: 'P1D',
  // Support stops when its invoice is overdue; the licence is never taken back
  // automatically because §5.1.3 lets the customer come back and pay the gap.
  suspendAfter: 'PT0S',
  terminateAfter: null,
  // Seed silent: a month before data of a terminated account is erased (CON-9 export window).
  dataDeletionAfterTermination: 'P30D',
  // ACC-11: keep the licensed domain reserved for a month after termination (seed silent).
  resourceHoldPeriod: 'P30D',
  // Seed silent: cancel any time before the renewal; takes effect at period end (BIL-7).
  cancellationNotice: 'PT0S',
  termsChangeNotice: 'PT24H',
  // The licence itself is perpetual [§3]: ending the support contract erases nothing (dataDeletionAfterCancellation null).
  // §5.3.1 names no amount: a plausible fixed fee per overdue invoice, due as soon as the invoice is late.
  lateFees: [money(15_000, 'TRY'), money(500, 'USD')],
};

/** [002] CodiSoft cloud call-centre software rental, invoiced and paid by transfer. */
const callcenterRental: PolicyPreset = {
  ...BASE,
  code: 'callcenter-rental',
  name: 'Call-centre software rental',
  seedReference:
    '002 §4 (liability capped at the billing period\'s fee), §9 (unpaid 7 days after the invoice date: suspended; ' +
    '14 days: terminated, and data without a legal retention duty deleted irreversibly), §12 (no refunds)',
  // Seed silent on the period: monthly, the usual rental period.
  billingPeriod: 'P1M',
  collectionMethod: 'BANK_TRANSFER',
  paymentDueAfter: 'P7D',
  maxCollectionAttempts: 1,
  retryInterval: 'P1D',
  suspendAfter: 'PT0S',
  terminateAfter: 'P7D',
  // Seed silent: warn at suspension that termination follows in 7 days.
  terminationNotice: 'P7D',
  dataDeletionAfterTermination: 'PT0S',
  // §9 deletes data without a legal retention duty when the contract ends; a cancellation ends it too.
  dataDeletionAfterCancellation: 'PT0S',
  cancellationNotice: 'PT0S',
  // Seed silent: a month's notice of new terms is what B2B customers expect.
  termsChangeNotice: 'P30D',
};

/** Shared by the monthly and yearly omnichannel policies [003]. */
const omnichannelBase = {
  ...BASE,
  trialPeriod: 'P14D',
  trialRequiresPaymentMethod: false,
  trialEndAction: 'CANCEL_UNLESS_CONFIRMED',
  // §5.10: the trial is always on PRO HUB, whatever package is ordered; one free trial per member.
  trialPlanCode: 'PRO-HUB-MONTHLY',
  oneTrialPerOrganization: true,
  collectionMethod: 'BANK_TRANSFER',
  paymentDueAfter: 'P7D',
  paymentDueInBusinessDays: true,
  maxCollectionAttempts: 1,
  retryInterval: 'P1D',
  // FESİH 3 lets Infoset stop the service as soon as a fee is unpaid.
  suspendAfter: 'PT0S',
  // Seed silent on a date (FESİH 2.3: the contract lapses if not renewed by paying): 30 days after the due date.
  terminateAfter: 'P30D',
  terminationNotice: 'P7D',
  // Seed silent (SORUMSUZLUK 24: data is not kept forever): 30 days to export (CON-9).
  dataDeletionAfterTermination: 'P30D',
  dataDeletionAfterCancellation: 'P30D',
  // §6.4.2 reads "monthly or yearly": renewal unless refused 30 days before the term ends.
  cancellationNotice: 'P30D',
  // §7.16: changed terms bind on publication.
  termsChangeNotice: 'PT0S',
  // §5.11 (ÜYELİK 11): the user bears all stamp duty, i.e. the full 0.948 %.
  firstInvoiceStampDutyPpm: 9480,
} as const satisfies Partial<PolicyPreset>;

const OMNICHANNEL_REFERENCE =
  '003 §5.9-5.10 (14-day trial after sign-up, no card, on PRO HUB), §5.11 (the user bears stamp duty), ' +
  '§6.4.1 (EFT within 7 business days of the invoice), §6.4.2 (renews unless refused 30 days before the monthly or yearly term ends), ' +
  '§6.4.6-6.4.7 (plan and price changes from the next period, no refunds), §7.2.2 (FESİH: membership ends if the member does not ' +
  'subscribe after the trial), §7.16 (terms bind on publication)';

const omnichannelSaas: PolicyPreset = {
  ...omnichannelBase,
  code: 'omnichannel-saas',
  name: 'Omnichannel SaaS, monthly',
  seedReference: `${OMNICHANNEL_REFERENCE}; §6.2.1 (monthly billing)`,
  billingPeriod: 'P1M',
};

const omnichannelSaasYearly: PolicyPreset = {
  ...omnichannelBase,
  code: 'omnichannel-saas-yearly',
  name: 'Omnichannel SaaS, yearly',
  seedReference: `${OMNICHANNEL_REFERENCE}; §6.2.2 (yearly billing, 20 % off the package)`,
  billingPeriod: 'P1Y',
};

/** [004] AloTech enterprise cloud call centre: 12-month term paid annually in advance. */
const enterpriseCallcenterAnnual: PolicyPreset = {
  ...BASE,
  code: 'enterprise-callcenter-annual',
  name: 'Enterprise call centre, annual',
  seedReference:
    '004 §2.1 (terms change without prior notice), §6.1 (maintenance, per-user and per-minute fees), §6.2 ($100 minimum balance), ' +
    '§6.3 (paid annually in advance, card on file, service starts after payment, terminated after a 7-day e-mail notice, ' +
    '0.5 % monthly interest on late invoices), §11.3 (phone numbers kept 30 days after closing), ' +
    "§13 (12-month term renewing automatically, 30 days' notice)",
  billingPeriod: 'P1Y',
  collectionMethod: 'ADVANCE',
  // §6.3: a credit card on file qualifies for annual payments; service starts when the payment is received.
  advanceRequiresPaymentMethod: true,
  advancePeriodStartsOnPayment: true,
  // §6.3 "within the terms" names no date: a week to pay each annual invoice.
  paymentDueAfter: 'P7D',
  maxCollectionAttempts: 1,
  retryInterval: 'P1D',
  // Paid in advance: no payment, no service.
  suspendAfter: 'PT0S',
  // §6.3: the 7-day notice goes out at the due date, termination follows.
  terminateAfter: 'P7D',
  terminationNotice: 'P7D',
  // §11.3 lets the customer reactivate within 30 days, so keep the data that long.
  dataDeletionAfterTermination: 'P30D',
  resourceHoldPeriod: 'P30D',
  // §11.3: numbers are lost 30 days after the account closed, was suspended or lapsed, whichever came first.
  resourceHoldStartsAt: 'SUSPENSION',
  resourceHoldAfterCancellation: 'P30D',
  dataDeletionAfterCancellation: 'P30D',
  cancellationNotice: 'P30D',
  termsChangeNotice: 'PT0S',
  lateInterestMonthlyBasisPoints: 50,
  // §6.3: 0.5 % a month "over invoice amount", counted for the time it was late.
  lateInterestAccrual: 'PRO_RATA',
};

export const POLICY_PRESETS: readonly PolicyPreset[] = [
  ecommerceLicense30d,
  softwareLicenseAnnualSupport,
  callcenterRental,
  omnichannelSaas,
  omnichannelSaasYearly,
  enterpriseCallcenterAnnual,
];

export function policyPreset(code: string): PolicyPreset | undefined {
  return POLICY_PRESETS.find((p) => p.code === code);
}

/** [003 §6.2.2] yearly billing takes 20 % off the package. */
export const OMNICHANNEL_YEARLY_DISCOUNT_BASIS_POINTS = 2000;

const tryMoney = (lira: number) => money(lira * 100, 'TRY');
const usd = (cents: number) => money(cents, 'USD');

/**
 * [003 §6.3] add-ons: users, operators, extensions, chat tools, e-mail
 * accounts, integrations. The seed publishes no prices: these are plausible
 * monthly prices. A yearly plan bills them at 12 × monthly; the −20 % applies
 * to the package only ("seçtikleri Abonelik paketinden", §6.2.2).
 */
const OMNICHANNEL_ADD_ONS = [
  { code: 'EXTRA-USER', name: 'Extra user', monthly: 250 },
  { code: 'EXTRA-OPERATOR', name: 'Extra operator', monthly: 400 },
  { code: 'EXTENSION', name: 'Extension number', monthly: 75 },
  { code: 'CHAT-TOOL', name: 'Chat tool', monthly: 300 },
  { code: 'EMAIL-ACCOUNT', name: 'E-mail account', monthly: 150 },
  { code: 'INTEGRATION', name: 'Integration or app', monthly: 500 },
] as const;

/** [003 §2 "Hizmet Paketi"] the packages; monthly TRY prices are plausible, the seed has none. */
const OMNICHANNEL_PACKAGES = [
  { code: 'CRM', name: 'CRM', monthly: 1_500 },
  { code: 'CALL-CENTER', name: 'CALL CENTER', monthly: 2_500 },
  { code: 'PRO-HUB', name: 'PRO HUB', monthly: 3_500 },
  { code: 'ENTERPRISE-HUB', name: 'ENTERPRISE HUB', monthly: 6_000 },
] as const;

function omnichannelPlans(): PlanDefinition[] {
  return OMNICHANNEL_PACKAGES.flatMap((pkg) => {
    const monthly = tryMoney(pkg.monthly);
    const common = { meters: [], oneOffFees: [], prepaidMinimums: [] };
    return [
      {
        ...common,
        code: `${pkg.code}-MONTHLY`,
        name: `${pkg.name} (monthly)`,
        policyCode: omnichannelSaas.code,
        prices: [monthly],
        addOns: OMNICHANNEL_ADD_ONS.map((a) => ({ code: a.code, name: a.name, prices: [tryMoney(a.monthly)] })),
      },
      {
        ...common,
        code: `${pkg.code}-YEARLY`,
        name: `${pkg.name} (yearly, 20 % off)`,
        policyCode: omnichannelSaasYearly.code,
        prices: [yearlyPrice(monthly, OMNICHANNEL_YEARLY_DISCOUNT_BASIS_POINTS)],
        addOns: OMNICHANNEL_ADD_ONS.map((a) => ({ code: a.code, name: a.name, prices: [yearlyPrice(tryMoney(a.monthly), 0)] })),
      },
    ];
  });
}

/** [000] The seed prices on the website only: a plausible $79 per 30 days. */
const ecommercePlan: PlanDefinition = {
  code: 'ECOMMERCE-SELF-SERVICE',
  name: 'E-commerce Self Service (30 days)',
  policyCode: ecommerceLicense30d.code,
  prices: [usd(7_900)],
  addOns: [],
  // §4.3 / §6.9: usage above the package quota is billed at the published excess rate (plausible quota and rate).
  meters: [{ code: 'ORDERS', name: 'Orders above quota', unit: 'order', includedQuantity: 500, unitPrices: [{ amountMicros: 50_000, currency: 'USD' }], prepaid: false }],
  // §5.7: customer-specific installation and consultancy, never refunded.
  oneOffFees: [{ code: 'INSTALLATION', name: 'Installation and consultancy', prices: [usd(25_000)] }],
  prepaidMinimums: [],
};

/**
 * [001] The licence price includes the first year of support (§5.1.2), so the
 * list price is split: the one-off licence part, plus the yearly support that
 * every period (the first included) bills. Plausible TRY prices.
 */
const softwareLicensePlan: PlanDefinition = {
  code: 'SOFTWARE-LICENSE',
  name: 'Domain licence with updates & support',
  policyCode: softwareLicenseAnnualSupport.code,
  prices: [tryMoney(1_200)],
  addOns: [],
  meters: [],
  oneOffFees: [{ code: 'LICENSE', name: 'Domain-bound licence', prices: [tryMoney(3_000)] }],
  prepaidMinimums: [],
};

/** [002] Plausible monthly rental with agent seats (the seed names an agent panel, §2). */
const callcenterRentalPlan: PlanDefinition = {
  code: 'CALLCENTER-RENTAL',
  name: 'Cloud call-centre software rental',
  policyCode: callcenterRental.code,
  prices: [tryMoney(3_000)],
  addOns: [{ code: 'AGENT', name: 'Agent seat', prices: [tryMoney(350)] }],
  meters: [],
  oneOffFees: [],
  prepaidMinimums: [],
};

/**
 * [004 §6.1] $100/month maintenance + $88/user/month + $0.0188/min. Prices
 * are per billing period, and the policy bills yearly in advance (§6.3), so
 * the monthly fees are billed as 12 months; minutes are prepaid from a
 * balance of at least $100 (§6.2).
 */
const enterprisePlan: PlanDefinition = {
  code: 'ENTERPRISE-CALLCENTER',
  name: 'Enterprise cloud call centre',
  policyCode: enterpriseCallcenterAnnual.code,
  prices: [yearlyPrice(usd(10_000), 0)],
  addOns: [{ code: 'USER', name: 'Cloud call-centre user', prices: [yearlyPrice(usd(8_800), 0)] }],
  meters: [{ code: 'MINUTES', name: 'Call minutes', unit: 'min', includedQuantity: 0, unitPrices: [{ amountMicros: 18_800, currency: 'USD' }], prepaid: true }],
  oneOffFees: [],
  prepaidMinimums: [usd(10_000)],
};

export const EXAMPLE_PLANS: readonly PlanDefinition[] = [
  ...omnichannelPlans(),
  ecommercePlan,
  softwareLicensePlan,
  callcenterRentalPlan,
  enterprisePlan,
];
