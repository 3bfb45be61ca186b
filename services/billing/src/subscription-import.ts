import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Types } from 'mongoose';
import { isDuplicateKeyError, subtractDuration, type Locale } from '@omurga/shared';
import type { ImportedSubscriptionRequest, ImportedSubscriptionResult, SubscriptionImportBillingActivities } from '@omurga/shared/contracts';
import { currentPlanAndPolicy, policyTerms } from './activities.ts';
import type { BillingModels, PlanDoc, PolicyDoc, SubscriptionDoc } from './models/index.ts';
import { t } from './messages.ts';
import { isSupportedCurrency, priceIn } from './money.ts';
import { openSubscription, startLifecycle } from './open-subscription.ts';
import { paymentTokenProblem } from './payments/payment-tokens.ts';

/** Rows opened at once: enough to keep the database busy, few enough not to swamp it. */
const PARALLEL = 8;

/** An imported subscription's ID, derived from its organisation and plan: importing the same row again finds it. */
export function importedSubscriptionId(organizationId: string, planCode: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`import/${organizationId}/${planCode}`).digest('hex').slice(0, 24));
}

/**
 * Issue 16: the subscriptions of a bulk customer import (accounts creates the
 * organisations and hands the rows over through subscriptionImportWorkflow).
 * Each row is checked as startSubscription checks it, stored under its derived
 * ID and its lifecycle started; a row stored before (a repeated import, or a
 * retried activity) answers the same subscription and makes sure its
 * lifecycle runs.
 */
export function subscriptionImportActivities(models: BillingModels, temporal: Client, paymentProvider: string): SubscriptionImportBillingActivities {
  async function openOne(row: ImportedSubscriptionRequest, locale: Locale, catalogue: Map<string, ReturnType<typeof currentPlanAndPolicy>>): Promise<ImportedSubscriptionResult> {
    const { organizationId } = row;
    const refused = (code: string, field: 'planCode' | 'currency' | 'paymentMethodToken' | 'renewsAt', params?: Record<string, string>) => ({ organizationId, code, field, message: t(code, locale, params) });
    const id = importedSubscriptionId(organizationId, row.planCode);
    const existing = await models.Subscription.findById(id).lean<SubscriptionDoc>();
    if (existing) {
      await resumeLifecycle(existing);
      return { organizationId, subscriptionId: id.toString(), status: existing.status, created: false };
    }
    if (!isSupportedCurrency(row.currency)) return refused('UNSUPPORTED_CURRENCY', 'currency');
    // One look-up per plan and import call: the rows of an import mostly share a few plans.
    if (!catalogue.has(row.planCode)) catalogue.set(row.planCode, currentPlanAndPolicy(models, row.planCode));
    const current = await catalogue.get(row.planCode)!;
    if (!current || !current.plan.active) return refused('PLAN_NOT_FOUND', 'planCode');
    const { plan, policy } = current;
    if (!priceIn(plan.prices, row.currency)) return refused('NO_PRICE_IN_CURRENCY', 'currency', { currency: row.currency });
    const token = row.paymentMethodToken?.trim() || null;
    const tokenProblem = token ? paymentTokenProblem(token) : null;
    if (tokenProblem) return refused(tokenProblem, 'paymentMethodToken');
    const account = token ? null : await models.BillingAccount.findById(organizationId).lean();
    const hasPaymentMethod = Boolean(token || account?.paymentMethod);
    const needsCard = policy.trialPeriod
      ? policy.trialRequiresPaymentMethod
      : policy.collectionMethod === 'CARD_AUTO' || (policy.collectionMethod === 'ADVANCE' && policy.advanceRequiresPaymentMethod === true);
    if (needsCard && !hasPaymentMethod) return refused('PAYMENT_METHOD_REQUIRED', 'paymentMethodToken');
    const now = Date.now();
    let startsAt = now;
    if (row.renewsAt) {
      const renewsAt = Date.parse(row.renewsAt);
      if (!(renewsAt > now)) return refused('RENEWAL_NOT_IN_FUTURE', 'renewsAt');
      // The trial's length before the renewal: at most the policy's trial, begun now at the latest.
      startsAt = policy.trialPeriod ? subtractDuration(renewsAt, policy.trialPeriod) : Number.POSITIVE_INFINITY;
      if (startsAt > now) return refused('RENEWAL_BEYOND_TRIAL', 'renewsAt');
    }
    if (token) {
      await models.BillingAccount.updateOne({ _id: organizationId }, { $set: { paymentMethod: { provider: paymentProvider, token, addedAt: new Date() } } }, { upsert: true });
    }
    try {
      const opened = await openSubscription(models, temporal, { id, organizationId, plan, policy, currency: row.currency, hasPaymentMethod, startedBy: row.startedBy, now: new Date(startsAt) });
      return { organizationId, subscriptionId: id.toString(), status: opened.status, created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Stored by a concurrent attempt: answer it, as a repeated import does.
      const stored = await models.Subscription.findById(id).lean<SubscriptionDoc>();
      if (!stored) throw error;
      await resumeLifecycle(stored);
      return { organizationId, subscriptionId: id.toString(), status: stored.status, created: false };
    }
  }

  /** An attempt that stored the subscription but crashed before starting its workflow leaves it to the next attempt. */
  async function resumeLifecycle(subscription: SubscriptionDoc): Promise<void> {
    const [plan, policy, account] = await Promise.all([
      models.Plan.findById(subscription.planId).lean<PlanDoc>(),
      models.ContractPolicy.findById(subscription.policyId).lean<PolicyDoc>(),
      models.BillingAccount.findById(subscription.organizationId).lean(),
    ]);
    if (!plan || !policy) return;
    const at = subscription.history[0]?.at ?? subscription.currentPeriodStart ?? new Date();
    const start = { planCode: plan.code, policy: policyTerms(policy), hasPaymentMethod: Boolean(account?.paymentMethod), at: new Date(at).toISOString() };
    await startLifecycle(temporal, subscription, start, `${subscription.organizationId} · ${plan.code} · ${policy.code} v${policy.version}`);
  }

  return {
    async openImportedSubscriptions({ rows, locale }) {
      const results: ImportedSubscriptionResult[] = new Array(rows.length);
      const catalogue = new Map<string, ReturnType<typeof currentPlanAndPolicy>>();
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < rows.length; i = next++) results[i] = await openOne(rows[i]!, locale, catalogue);
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, rows.length) }, lane));
      return results;
    },
  };
}
