import { z } from 'zod';
import { isIsoDuration } from '@omurga/shared/durations';
import { delayDuration, durationMs, moneyPerCurrency, periodDuration } from './bounds.ts';

/**
 * THE contract policy (SPEC §1), defined once. This schema is what operators'
 * input and the presets are validated with, what a pinned period carries
 * (`PolicyTerms`), and what the mongoose schema and the GraphQL input are
 * checked against (test/unit/lifecycle/policy-agreement.test.ts). Durations
 * are ISO-8601 (P14D, P1M, PT30S) and bounded (bounds.ts); null means "not
 * applicable". Fields added after the first release have defaults, so older
 * stored versions read as they behaved.
 */

export const COLLECTION_METHODS = ['CARD_AUTO', 'BANK_TRANSFER', 'ADVANCE'] as const;
export type CollectionMethod = (typeof COLLECTION_METHODS)[number];

/**
 * What happens when a trial ends: CONVERT charges or invoices the first period
 * (a CARD_AUTO subscription without a card on file is canceled instead)
 * [000 §4.5]; CANCEL_UNLESS_CONFIRMED ends the membership unless the customer
 * chose to subscribe during the trial [003 §7.2.2].
 */
export const TRIAL_END_ACTIONS = ['CONVERT', 'CANCEL_UNLESS_CONFIRMED'] as const;
export type TrialEndAction = (typeof TRIAL_END_ACTIONS)[number];

/** Late interest counts every started day in full, or the exact time late (pro rata). */
export const LATE_INTEREST_ACCRUALS = ['PER_STARTED_DAY', 'PRO_RATA'] as const;
export type LateInterestAccrual = (typeof LATE_INTEREST_ACCRUALS)[number];

/** From when the licensed-resource hold counts: the contract's end, or the earlier suspension [004 §11.3]. */
export const RESOURCE_HOLD_STARTS = ['END', 'SUSPENSION'] as const;
export type ResourceHoldStart = (typeof RESOURCE_HOLD_STARTS)[number];

/** The kinds of licensed resources accounts keeps (ACC-11). */
export const LICENSED_RESOURCE_KINDS = ['WEBSITE', 'DOMAIN', 'PHONE_NUMBER'] as const;
export type LicensedResourceKind = (typeof LICENSED_RESOURCE_KINDS)[number];

export const POLICY_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/;
const code = z.string().regex(POLICY_CODE, { message: 'INVALID_CODE' });
const flag = (value: boolean) => z.boolean().default(value);

/** The fields of a policy, in the order operators read them. */
export const contractPolicyFields = {
  code,
  name: z.string().trim().min(1).max(200),
  seedReference: z.string().max(2000).nullable().default(null),

  // ── trial (BIL-4)
  trialPeriod: periodDuration.nullable().default(null),
  trialRequiresPaymentMethod: z.boolean(),
  trialEndAction: z.enum(TRIAL_END_ACTIONS).default('CONVERT'),
  /** the plan granted during the trial when it is not the ordered one (003 §5.10: always PRO HUB) */
  trialPlanCode: code.nullable().default(null),
  /** an organisation may hold one trial of this policy, ever */
  oneTrialPerOrganization: flag(false),

  // ── periods and collection (BIL-5)
  billingPeriod: periodDuration,
  collectionMethod: z.enum(COLLECTION_METHODS),
  /** how long after issue a bank-transfer / advance invoice is due */
  paymentDueAfter: delayDuration.nullable().default(null),
  /** count paymentDueAfter's days as Turkish business days [003 §6.4.1] */
  paymentDueInBusinessDays: flag(false),
  /** ADVANCE only: a card on file is needed to subscribe and is charged [004 §6.3] */
  advanceRequiresPaymentMethod: flag(false),
  /** ADVANCE only: each period starts when its invoice is paid, so a late payer loses no days [004 §6.3] */
  advancePeriodStartsOnPayment: flag(false),

  // ── dunning (BIL-6)
  maxCollectionAttempts: z.number().int().min(1, { message: 'MUST_BE_POSITIVE' }).max(10, { message: 'TOO_LARGE' }),
  retryInterval: periodDuration,
  /** from the first failed collection (card) or the due date (transfer); null = at the last failed attempt */
  suspendAfter: delayDuration.nullable().default(null),
  /** from the first failed collection or the due date; null = never automatically */
  terminateAfter: delayDuration.nullable().default(null),
  /** e-mail this long before an automatic termination [004 §6.3] */
  terminationNotice: delayDuration.nullable().default(null),
  /** lateness shorter than this costs nothing [001 §5.3.1] */
  lateFeeGrace: delayDuration.default('PT0S'),
  lateInterestMonthlyBasisPoints: z.number().int().min(1, { message: 'MUST_BE_POSITIVE' }).max(10_000, { message: 'TOO_LARGE' }).nullable().default(null),
  lateInterestAccrual: z.enum(LATE_INTEREST_ACCRUALS).default('PER_STARTED_DAY'),
  /** fixed fee per overdue invoice, per currency [001 §5.3.1] */
  lateFees: moneyPerCurrency.default([]),

  // ── the end of the contract
  dataDeletionAfterTermination: delayDuration,
  /** erase the organisation this long after a cancellation ends the contract; null = billing does not erase [000 §7.5] */
  dataDeletionAfterCancellation: delayDuration.nullable().default(null),
  /** how long licensed resources stay reserved after termination (ACC-11) */
  resourceHoldPeriod: delayDuration.nullable().default(null),
  /** how long they stay reserved after a cancellation; null = no hold */
  resourceHoldAfterCancellation: delayDuration.nullable().default(null),
  resourceHoldStartsAt: z.enum(RESOURCE_HOLD_STARTS).default('END'),
  /** how many licensed resources of each kind a subscriber may hold [000 §5.5: one website address] */
  licensedResourceLimits: z
    .array(z.object({ kind: z.enum(LICENSED_RESOURCE_KINDS), max: z.number().int().min(0).max(10_000, { message: 'TOO_LARGE' }) }).strict())
    .max(LICENSED_RESOURCE_KINDS.length)
    .refine((list) => new Set(list.map((l) => l.kind)).size === list.length, { message: 'DUPLICATE_CODE' })
    .default([]),

  // ── changes (BIL-7, CON-4)
  cancellationNotice: delayDuration,
  termsChangeNotice: delayDuration,
  /** the customer's share of stamp duty on the first invoice, in parts per million of its subtotal [000 §8.7] */
  firstInvoiceStampDutyPpm: z.number().int().min(1, { message: 'MUST_BE_POSITIVE' }).max(100_000, { message: 'TOO_LARGE' }).nullable().default(null),
};

type Fields = z.infer<z.ZodObject<typeof contractPolicyFields>>;
/** The length of a duration that passed its own checks; null for none or one that did not (its field already has the issue). */
const ms = (iso: string | null) => (iso !== null && iso.length <= 32 && isIsoDuration(iso) ? durationMs(iso) : null);

/** The rules between fields; each names the field it blames. */
function crossFieldRules(p: Fields, ctx: z.RefinementCtx): void {
  const issue = (path: keyof Fields, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (p.collectionMethod !== 'CARD_AUTO' && p.paymentDueAfter === null) issue('paymentDueAfter', 'PAYMENT_DUE_REQUIRED');
  if (p.paymentDueInBusinessDays && !(p.paymentDueAfter !== null && /^P\d+D$/.test(p.paymentDueAfter))) issue('paymentDueInBusinessDays', 'BUSINESS_DAYS_NEED_WHOLE_DAYS');
  if (p.trialPeriod === null) {
    if (p.trialEndAction === 'CANCEL_UNLESS_CONFIRMED') issue('trialEndAction', 'TRIAL_REQUIRED');
    if (p.trialRequiresPaymentMethod) issue('trialRequiresPaymentMethod', 'TRIAL_REQUIRED');
    if (p.trialPlanCode !== null) issue('trialPlanCode', 'TRIAL_REQUIRED');
    if (p.oneTrialPerOrganization) issue('oneTrialPerOrganization', 'TRIAL_REQUIRED');
  }
  if (p.collectionMethod !== 'ADVANCE') {
    if (p.advanceRequiresPaymentMethod) issue('advanceRequiresPaymentMethod', 'ADVANCE_ONLY');
    if (p.advancePeriodStartsOnPayment) issue('advancePeriodStartsOnPayment', 'ADVANCE_ONLY');
  }
  const suspend = ms(p.suspendAfter);
  const terminate = ms(p.terminateAfter);
  if (suspend !== null && terminate !== null && suspend > terminate) issue('suspendAfter', 'SUSPENSION_AFTER_TERMINATION');
  if (p.terminationNotice !== null) {
    if (terminate === null) issue('terminationNotice', 'TERMINATION_REQUIRED');
    else if ((ms(p.terminationNotice) ?? 0) > terminate) issue('terminationNotice', 'NOTICE_LONGER_THAN_TERMINATION');
  }
  const notice = ms(p.cancellationNotice);
  const period = ms(p.billingPeriod);
  if (notice !== null && period !== null && notice > period) issue('cancellationNotice', 'NOTICE_LONGER_THAN_PERIOD');
  if (p.resourceHoldStartsAt === 'SUSPENSION' && p.resourceHoldPeriod === null) issue('resourceHoldStartsAt', 'HOLD_REQUIRED');
}

/** A contract policy as an operator or a preset defines it (no id, no version). */
export const contractPolicy = z.object(contractPolicyFields).strict().superRefine(crossFieldRules);

/** What an operator or a preset writes: fields with defaults may be left out. */
export type ContractPolicyInput = z.input<typeof contractPolicy>;
/** A validated policy, every field present. */
export type ContractPolicy = z.output<typeof contractPolicy>;
/** One stored version of a policy, as pinned to a period. */
export type PolicyTerms = ContractPolicy & { id: string; version: number };

/** The field names of the policy, for the agreement checks of the mongoose schema and the GraphQL input. */
export const CONTRACT_POLICY_FIELD_NAMES = Object.keys(contractPolicyFields) as (keyof ContractPolicy)[];

/** Validates and completes a policy; throws a ZodError naming every bad field. */
export function parseContractPolicy(input: unknown): ContractPolicy {
  return contractPolicy.parse(input);
}

