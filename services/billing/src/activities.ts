import { createHash, randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Types } from 'mongoose';
import { addDuration } from '@omurga/shared';
import { z } from 'zod';
import { BILLING_INVALID_STATE, BILLING_NOT_FOUND, ENDED_SUBSCRIPTION_STATUSES, type BillingActivities, type IssuedInvoice, type PinnedPeriod, type PolicyTerms } from './workflows/contracts.ts';
import { contractPolicyFields } from './lifecycle/index.ts';
import { accruePartnerCommission } from './commissions.ts';
import { applySignUpPromoCode } from './coupons/redeem.ts';
import { invoiceDiscount } from './coupons/invoice-discount.ts';
import type { BillingOutbox } from './emails.ts';
import { composeInvoice } from './invoice-lines.ts';
import { priceIn } from './money.ts';
import { invoiceDueAt } from './invoices/due-date.ts';
import type { ExchangeRateSource } from './invoices/exchange-rates.ts';
import { issueNumberedInvoice, type InvoiceDraft } from './invoices/numbering.ts';
import { transitionInvoice } from './invoices/status.ts';
import type { BillingModels, InvoiceDoc, PlanDoc, PolicyDoc, SubscriptionDoc } from './models/index.ts';
import { catalogueVersions } from './catalogue-versions.ts';
import { inStep, keepStepSubscription, knownToStep, stepReads } from './step-reads.ts';
import { carryOutLifecycleSteps, type LifecycleStepPorts } from './lifecycle-steps.ts';
import { chargeInvoice } from './payments/charge-invoice.ts';
import type { PaymentProvider } from './payments/provider.ts';
import { markUsageBilled, usageOnInvoice } from './usage.ts';

export interface BillingActivityDeps {
  models: BillingModels;
  provider: PaymentProvider;
  providerTimeoutMs: number;
  outbox: BillingOutbox;
  invoicePrefix: string;
  commissionRateBasisPoints: number;
  /** the TRY rate stored on foreign-currency invoices at issue (UBL-TR PricingExchangeRate) */
  exchangeRates: ExchangeRateSource;
}

const notFound = (what: string) => ApplicationFailure.nonRetryable(`${what} not found`, BILLING_NOT_FOUND);
const invalidState = (message: string) => ApplicationFailure.nonRetryable(message, BILLING_INVALID_STATE);

/**
 * A stored policy version as the lifecycle reads it: the one policy schema's
 * fields, defaults for those an older version lacks. Stored versions were
 * validated when created, so only the field rules are applied again.
 */
const storedPolicy = z.object(contractPolicyFields);

export function policyTerms(policy: PolicyDoc): PolicyTerms {
  const parsed = storedPolicy.safeParse(policy);
  if (!parsed.success) throw invalidState(`policy ${policy.code} v${policy.version} is not readable: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(', ')}`);
  return { ...parsed.data, id: policy._id.toString(), version: policy.version };
}

/** The newest version of a plan and of its policy: what a period begun now pins. */
export async function currentPlanAndPolicy(models: BillingModels, planCode: string): Promise<{ plan: PlanDoc; policy: PolicyDoc } | null> {
  const plan = await models.Plan.findOne({ code: planCode }).sort({ version: -1 }).lean<PlanDoc>();
  if (!plan) return null;
  const policy = await models.ContractPolicy.findOne({ code: plan.policyCode }).sort({ version: -1 }).lean<PolicyDoc>();
  return policy ? { plan, policy } : null;
}

function planPrice(plan: PlanDoc, currency: string) {
  const price = priceIn(plan.prices, currency);
  if (!price) throw invalidState(`plan ${plan.code} v${plan.version} has no ${currency} price`);
  return price;
}

/** BIL-3 … BIL-11: what the subscription workflows do to billing's data. */
export function billingActivities(deps: BillingActivityDeps): BillingActivities {
  const { models } = deps;
  const versions = catalogueVersions(models);

  /** The subscription, as this step last left it when it has read or written it (step-reads.ts). */
  async function loadSubscription(subscriptionId: string): Promise<SubscriptionDoc> {
    const step = stepReads();
    if (step?.subscription?._id.toString() === subscriptionId) return step.subscription;
    const subscription = await models.Subscription.findById(subscriptionId).lean<SubscriptionDoc>();
    if (!subscription) throw notFound(`subscription ${subscriptionId}`);
    keepStepSubscription(subscription);
    return subscription;
  }
  function rememberIssued(invoice: InvoiceDoc): IssuedInvoice {
    stepReads()?.invoices.set(invoice._id.toString(), invoice);
    return issued(invoice);
  }
  async function loadInvoice(invoiceId: string): Promise<InvoiceDoc> {
    const invoice = await models.Invoice.findById(invoiceId).lean<InvoiceDoc>();
    if (!invoice) throw notFound(`invoice ${invoiceId}`);
    return invoice;
  }
  /** The period's pin; `pinned`: the plan and policy versions just pinned, which need no reading again. */
  async function pinOf(subscription: SubscriptionDoc, kind: PinnedPeriod['kind'], pinned?: { plan: PlanDoc; policy: PolicyDoc }): Promise<PinnedPeriod> {
    const [plan, policy, account] = await Promise.all([
      pinned?.plan ?? versions.plan(subscription.planId),
      pinned?.policy ?? versions.policy(subscription.policyId),
      models.BillingAccount.findById(subscription.organizationId).lean(),
    ]);
    if (!plan || !policy) throw notFound(`pinned plan or policy of subscription ${subscription._id}`);
    return {
      subscriptionId: subscription._id.toString(),
      organizationId: subscription.organizationId,
      periodIndex: subscription.periodIndex,
      kind,
      periodStart: subscription.currentPeriodStart!.toISOString(),
      periodEnd: subscription.currentPeriodEnd!.toISOString(),
      planCode: plan.code,
      planVersion: plan.version,
      currency: subscription.currency,
      price: planPrice(plan, subscription.currency),
      policy: policyTerms(policy),
      hasPaymentMethod: Boolean(account?.paymentMethod),
      confirmed: subscription.confirmed,
    };
  }

  const activities: Omit<BillingActivities, 'carryOutLifecycleSteps'> = {
    async beginPeriod({ subscriptionId, periodIndex, periodStart, kind, planCode }) {
      const subscription = await loadSubscription(subscriptionId);
      const start = new Date(periodStart);
      // Already begun (a retried activity or a replayed run): return the same pin (ADVANCE may have moved its start since).
      if (subscription.periodIndex === periodIndex) {
        return pinOf(subscription, kind);
      }
      // BIL-7: the plan the lifecycle chose (a scheduled change, or a trial's own plan), in its newest version, takes effect now.
      const current = await currentPlanAndPolicy(models, planCode);
      if (!current) throw notFound(`plan ${planCode}`);
      const { plan, policy } = current;
      planPrice(plan, subscription.currency);
      const length = kind === 'TRIAL' ? policy.trialPeriod : policy.billingPeriod;
      if (!length) throw invalidState(`policy ${policy.code} v${policy.version} has no trial`);
      const end = new Date(addDuration(start.getTime(), length));
      const updated = await models.Subscription.findOneAndUpdate(
        { _id: subscriptionId },
        {
          $set: {
            planId: plan._id,
            policyId: policy._id,
            periodIndex,
            currentPeriodStart: start,
            currentPeriodEnd: end,
            // A trial may run on another plan than the ordered one [003 §5.10]; planCode stays the ordered one.
            ...(kind === 'TRIAL' ? { trialEndsAt: end } : { planCode: plan.code, pendingPlanCode: null }),
          },
        },
        { returnDocument: 'after' },
      ).lean<SubscriptionDoc>();
      keepStepSubscription(updated!);
      return pinOf(updated!, kind, current);
    },

    async recordSubscriptionEvent({ subscriptionId, status, type, detail, at }) {
      const eventKey = `${type}@${at}`;
      await models.Subscription.updateOne(
        { _id: subscriptionId, eventKeys: { $ne: eventKey } },
        {
          $push: { history: { at: new Date(at), type, detail: detail ?? null, status: status ?? null }, eventKeys: eventKey },
          ...(status ? { $set: { status } } : {}),
        },
      );
    },

    async issueInvoice({ subscriptionId, periodIndex, issuedAt, customer }) {
      const key = `subscription/${subscriptionId}/period/${periodIndex}`;
      const existing = await models.Invoice.findOne({ key }).lean<InvoiceDoc>();
      if (existing) return rememberIssued(existing);

      const subscription = await loadSubscription(subscriptionId);
      const [plan, policy] = await Promise.all([versions.plan(subscription.planId), versions.policy(subscription.policyId)]);
      if (!plan || !policy) throw notFound(`pinned plan or policy of subscription ${subscriptionId}`);
      const terms = policyTerms(policy);
      const currency = subscription.currency;
      const issuedAtDate = new Date(issuedAt);
      const firstInvoice = !(await models.Invoice.exists({ subscriptionId: subscription._id }));
      // Claim what this invoice bills before it exists, under its id derived from the key: a retry
      // after a crash claims the same records again, and nothing is billed twice or lost.
      const invoiceId = invoiceIdFor(key);
      await markUsageBilled(models, subscriptionId, new Date(0), subscription.currentPeriodStart ?? issuedAtDate, invoiceId.toString());
      const usage = await usageOnInvoice(models, invoiceId.toString());
      // Invoices paid after their due date whose late charges no invoice has billed yet [004 §6.3, 001 §5.3.1].
      // One read finds both those still to claim and those an earlier attempt of this invoice claimed.
      const candidates = await models.Invoice.find({
        organizationId: subscription.organizationId,
        $or: [{ status: 'PAID', lateChargesBilledOn: null }, { lateChargesBilledOn: invoiceId }],
      }).lean<InvoiceDoc[]>();
      const lateIds = candidates.filter((invoice) => !invoice.lateChargesBilledOn && invoice.paidAt && invoice.paidAt > invoice.dueAt).map((invoice) => invoice._id);
      if (lateIds.length) await models.Invoice.updateMany({ _id: { $in: lateIds }, lateChargesBilledOn: null }, { $set: { lateChargesBilledOn: invoiceId } });
      // Claimed now, another invoice may have won some: read back which are this one's.
      const overdue = lateIds.length
        ? await models.Invoice.find({ lateChargesBilledOn: invoiceId }).lean<InvoiceDoc[]>()
        : candidates.filter((invoice) => invoice.lateChargesBilledOn?.equals(invoiceId));

      const composed = composeInvoice({
        currency,
        plan: { code: plan.code, name: plan.name, price: planPrice(plan, currency) },
        addOns: subscription.addOns.flatMap(({ code, quantity }) => {
          const addOn = plan.addOns.find((a) => a.code === code);
          const unitPrice = addOn && priceIn(addOn.prices, currency);
          return addOn && unitPrice ? [{ code, name: addOn.name, unitPrice, quantity }] : [];
        }),
        usage: usage.flatMap(({ meterCode, quantity, prepaidDebitMicros }) => {
          const meter = plan.meters.find((m) => m.code === meterCode);
          const unitPrice = meter?.unitPrices.find((p) => p.currency === currency);
          if (!meter || !unitPrice) return [];
          return [{ meterCode, name: meter.name, unit: meter.unit, quantity, includedQuantity: meter.includedQuantity, unitPriceMicros: unitPrice.amountMicros, prepaid: meter.prepaid, prepaidDebitMicros }];
        }),
        oneOffFees: firstInvoice
          ? subscription.oneOffFeeCodes.flatMap((code) => {
              const fee = plan.oneOffFees.find((f) => f.code === code);
              const price = fee && priceIn(fee.prices, currency);
              return fee && price ? [{ code, name: fee.name, price }] : [];
            })
          : [],
        overdue: overdue
          .filter((invoice) => invoice.currency === currency && invoice.paidAt)
          .map((invoice) => ({ invoiceNumber: invoice.number, total: invoice.total, dueAt: invoice.dueAt, paidAt: invoice.paidAt! })),
        lateInterestMonthlyBasisPoints: terms.lateInterestMonthlyBasisPoints,
        lateInterestAccrual: terms.lateInterestAccrual,
        lateFeeGrace: terms.lateFeeGrace,
        lateFee: priceIn(terms.lateFees, currency),
        stampDutyPpm: policy.firstInvoiceStampDutyPpm ?? null,
        firstInvoice,
        discount: await invoiceDiscount(models, subscription, invoiceId),
      });

      const settled = composed.total.amountMinor === 0;
      // Plain objects, not mongoose subdocuments: the inferred document type is stricter than what create() accepts.
      const draft = {
          _id: invoiceId,
          organizationId: subscription.organizationId,
          customer,
          ettn: randomUUID(),
          exchangeRate: currency === 'TRY' ? null : { rate: await deps.exchangeRates.tryPer(currency, issuedAtDate), source: deps.exchangeRates.name, at: issuedAtDate },
          subscriptionId: subscription._id,
          periodIndex,
          key,
          status: settled ? 'PAID' : 'OPEN',
          currency,
          lines: composed.lines,
          subtotal: composed.subtotal,
          taxRateBasisPoints: composed.taxRateBasisPoints,
          tax: composed.tax,
          total: composed.total,
          collectionMethod: policy.collectionMethod,
          issuedAt: issuedAtDate,
          dueAt: invoiceDueAt(issuedAtDate, {
            collectionMethod: policy.collectionMethod as PolicyTerms['collectionMethod'],
            paymentDueAfter: policy.paymentDueAfter ?? null,
            paymentDueInBusinessDays: policy.paymentDueInBusinessDays,
          }),
          paidAt: settled ? issuedAtDate : null,
          paymentReference: null,
          lateChargesBilledOn: null,
          statusHistory: [{ from: null, to: settled ? 'PAID' : 'OPEN', at: issuedAtDate, reason: 'ISSUED' }],
        } as unknown as InvoiceDraft;
      // The key was looked up above: numbering need not look again before taking a number.
      const invoice = await issueNumberedInvoice(models, draft, { prefix: deps.invoicePrefix, issuedAt: issuedAtDate, keyChecked: true });
      return rememberIssued(invoice);
    },

    chargeInvoice: (input) => chargeInvoice({ models, provider: deps.provider, timeoutMs: deps.providerTimeoutMs }, input),

    async movePeriod({ subscriptionId, periodIndex, periodStart, periodEnd }) {
      keepStepSubscription(undefined);
      await models.Subscription.updateOne(
        { _id: subscriptionId, periodIndex },
        { $set: { currentPeriodStart: new Date(periodStart), currentPeriodEnd: new Date(periodEnd) } },
      );
    },

    async writeOffInvoice({ invoiceId, at, reason }) {
      const invoice = await loadInvoice(invoiceId);
      // Money that arrived before the end stands: a paid (or already written-off) invoice stays as it is.
      if (invoice.status !== 'OPEN') return;
      await transitionInvoice(models, invoiceId, 'UNCOLLECTIBLE', { at: new Date(at), reason });
    },

    async otherLiveSubscription({ organizationId, subscriptionId }) {
      return Boolean(await models.Subscription.exists({ organizationId, _id: { $ne: subscriptionId }, status: { $nin: ENDED_SUBSCRIPTION_STATUSES } }));
    },

    async invoicePaid({ invoiceId }) {
      return (await loadInvoice(invoiceId)).status === 'PAID';
    },

    async accruePartnerCommission({ invoiceId, partnerId }) {
      return accruePartnerCommission(models, { invoiceId, partnerId, rateBasisPoints: deps.commissionRateBasisPoints });
    },

    applySignUpPromoCode: ({ subscriptionId, code, at }) => applySignUpPromoCode(models, { subscriptionId, code, at: new Date(at) }),

    async sendBillingEmail(input) {
      const subscription = await loadSubscription(input.subscriptionId);
      await deps.outbox.send({ ...input, organizationId: subscription.organizationId });
    },
  };

  const steps: LifecycleStepPorts = {
    ...activities,
    sendEmail: (input) => deps.outbox.send({ ...input, known: knownToStep(input.subscriptionId, input.invoiceId) }),
    async recordHistory(subscriptionId, entries) {
      const keys = entries.map((entry) => entry.key);
      const status = entries.findLast((entry) => entry.status !== null)?.status;
      await models.Subscription.updateOne(
        { _id: subscriptionId, eventKeys: { $nin: keys } },
        {
          $push: { history: { $each: entries.map(({ at, type, detail, status }) => ({ at, type, detail, status })) }, eventKeys: { $each: keys } },
          ...(status ? { $set: { status } } : {}),
        },
      );
    },
  };
  return { ...activities, carryOutLifecycleSteps: (input) => inStep(() => carryOutLifecycleSteps(steps, input, workflowClock())) };
}

/**
 * The lifecycle's clock inside an activity: Temporal's time when this attempt
 * was scheduled, moving on in real time, and never behind this host's clock
 * (an attempt that waited in the queue). Temporal's time is the workflow's,
 * which a test server may have skipped ahead.
 */
function workflowClock(): () => number {
  const scheduled = Context.current().info.currentAttemptScheduledTimestampMs;
  const begun = Date.now();
  return () => Math.max(Date.now(), scheduled + (Date.now() - begun));
}

/** A period's invoice id, derived from its idempotency key so that every attempt to issue it agrees. */
function invoiceIdFor(key: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(key).digest('hex').slice(0, 24));
}

function issued(invoice: InvoiceDoc): IssuedInvoice {
  return {
    invoiceId: invoice._id.toString(),
    number: invoice.number,
    total: { amountMinor: invoice.total.amountMinor, currency: invoice.total.currency },
    issuedAt: invoice.issuedAt.toISOString(),
    dueAt: invoice.dueAt.toISOString(),
    settled: invoice.status === 'PAID' && invoice.total.amountMinor === 0,
    paid: invoice.status === 'PAID',
  };
}
