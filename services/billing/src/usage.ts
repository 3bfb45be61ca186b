import { randomUUID } from 'node:crypto';
import { Schema, Types, type InferSchemaType, type Model } from 'mongoose';
import { isDuplicateKeyError } from '@omurga/shared';
import { ENDED_SUBSCRIPTION_STATUSES, type Money, type SubscriptionStatus } from './workflows/contracts.ts';
import type { BillingModels, UsageRecordDoc, WithId } from './models/index.ts';
import { SUPPORTED_CURRENCIES, isSupportedCurrency, minorToMicros } from './money.ts';
import { MAX_PRICE_MINOR, MAX_QUANTITY } from './input-bounds.ts';

/**
 * Metered usage (BIL-9) and the prepaid balance that prepaid meters draw on
 * [004 §6.2].
 *
 * The balance is an append-only ledger rather than a guarded $inc, so it
 * needs nothing beyond an insert under a unique index (stock FerretDB 1.x
 * does not apply filtered updates atomically; the build here is patched, see
 * README "Infrastructure") and keeps every movement for audit: each movement
 * is a new entry with the next sequence number of the (organisation,
 * currency) and the balance after it. Two writers that read the same last
 * entry both try to insert the same sequence, the unique index
 * lets one through, and the other reads again and re-checks. Each entry also
 * has a unique key (e.g. the usage event), which makes every movement
 * idempotent without transactions.
 */

export const PREPAID_ENTRY_KINDS = ['TOP_UP', 'DEBIT'] as const;

const prepaidEntrySchema = new Schema(
  {
    organizationId: { type: String, required: true },
    currency: { type: String, required: true },
    /** 1, 2, 3, … per (organisation, currency), without gaps */
    seq: { type: Number, required: true },
    kind: { type: String, enum: PREPAID_ENTRY_KINDS, required: true },
    /** what the movement changed: positive for a top-up, negative for a debit */
    deltaMicros: { type: Number, required: true },
    /** the balance after this entry */
    balanceMicros: { type: Number, required: true },
    /** idempotency: `usage/<subscriptionId>/<eventId>`, `top-up/<organizationId>/<caller's key>` */
    key: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'prepaid_entries' },
);
prepaidEntrySchema.index({ organizationId: 1, currency: 1, seq: -1 }, { unique: true });
prepaidEntrySchema.index({ key: 1 }, { unique: true });
export type PrepaidEntryDoc = WithId<PrepaidEntry>;
export { prepaidEntrySchema };

type PrepaidEntry = InferSchemaType<typeof prepaidEntrySchema>;

/** The ledger's model on the billing connection, with its unique indexes in place before the first write. */
export async function prepaidLedger(models: BillingModels): Promise<Model<PrepaidEntry>> {
  const db = models.UsageRecord.db;
  const model = (db.models.PrepaidEntry ?? db.model('PrepaidEntry', prepaidEntrySchema)) as Model<PrepaidEntry>;
  await model.init(); // builds the indexes once; later calls return the same promise
  return model;
}

/** How many times a movement re-reads the ledger after losing a race for the next sequence number. */
const MAX_LEDGER_RACES = 100;

type LedgerOutcome = { status: 'APPLIED' | 'ALREADY_APPLIED'; entry: PrepaidEntryDoc } | { status: 'REFUSED'; balanceMicros: number };

/**
 * Appends a movement of `deltaMicros` unless an entry with `key` exists
 * (ALREADY_APPLIED, the earlier entry) or the balance before it is below
 * `minimumBefore` (REFUSED).
 */
async function appendPrepaidEntry(
  models: BillingModels,
  movement: { organizationId: string; currency: string; kind: (typeof PREPAID_ENTRY_KINDS)[number]; deltaMicros: number; key: string; minimumBefore: number; at: Date },
): Promise<LedgerOutcome> {
  const ledger = await prepaidLedger(models);
  const { organizationId, currency } = movement;
  for (let race = 0; race < MAX_LEDGER_RACES; race++) {
    const earlier = await ledger.findOne({ key: movement.key }).lean<PrepaidEntryDoc>();
    if (earlier) return { status: 'ALREADY_APPLIED', entry: earlier };
    const last = await ledger.findOne({ organizationId, currency }).sort({ seq: -1 }).lean<PrepaidEntryDoc>();
    const before = last?.balanceMicros ?? 0;
    if (before < movement.minimumBefore) return { status: 'REFUSED', balanceMicros: before };
    const after = before + movement.deltaMicros;
    if (!Number.isSafeInteger(after)) throw new RangeError(`prepaid balance out of range: ${after}`);
    try {
      const created = await ledger.create({
        organizationId,
        currency,
        seq: (last?.seq ?? 0) + 1,
        kind: movement.kind,
        deltaMicros: movement.deltaMicros,
        balanceMicros: after,
        key: movement.key,
        at: movement.at,
      });
      return { status: 'APPLIED', entry: created.toObject() as PrepaidEntryDoc };
    } catch (error) {
      // Another movement took this sequence number (or this key): read again.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error(`prepaid ledger of ${organizationId}/${currency}: lost ${MAX_LEDGER_RACES} races in a row`);
}

/** The parts of a plan version that usage needs (a lean PlanDoc fits). */
export interface UsagePlan {
  meters: readonly { code: string; prepaid?: boolean | null; unitPrices: readonly { amountMicros: number; currency: string }[] }[];
  prepaidMinimums: readonly Money[];
}

export interface UsageInput {
  organizationId: string;
  subscriptionId: string;
  meterCode: string;
  quantity: number;
  /** the caller's id of the event: the same id for the subscription is counted once */
  eventId: string;
  occurredAt: Date;
}

export type UsageErrorCode = 'UNKNOWN_METER' | 'INVALID_QUANTITY' | 'PREPAID_BALANCE_BELOW_MINIMUM' | 'SUBSCRIPTION_NOT_ACTIVE';
export type RecordUsageResult = { ok: true; record: UsageRecordDoc; duplicate: boolean } | { ok: false; code: UsageErrorCode };

/** Statuses in which the service is in use, so usage can arise (PAST_DUE is still served during grace). */
export const USAGE_STATUSES: readonly SubscriptionStatus[] = ['TRIALING', 'ACTIVE', 'PAST_DUE'];

/**
 * Records one usage event.
 *
 * A known (subscription, eventId) returns the stored record, whatever has
 * changed since. Otherwise the quantity must be a positive integer, the meter
 * must be on `plan` (the plan version pinned to the subscription's current
 * period) and the subscription must be in a USAGE_STATUSES status, belonging
 * to `organizationId` (an unknown or foreign subscription is SUBSCRIPTION_NOT_ACTIVE).
 *
 * Prepaid meters [004 §6.2] debit quantity × unit price (micros, in the
 * subscription's currency, with no included quantity: prepaid usage is passed
 * through at cost) from the organisation's balance. THE RULE: the debit is
 * made only if, before it, balance ≥ max(minimum, cost), where minimum is the
 * plan's prepaidMinimums entry for the currency (0 without one). So the
 * balance never goes negative, and once it has fallen below the minimum no
 * further prepaid usage is accepted until a top-up restores it; the last
 * accepted event may take it below the minimum by at most its own cost.
 * Otherwise the event is refused with PREPAID_BALANCE_BELOW_MINIMUM and
 * nothing is stored, so the same event may be sent again after a top-up.
 *
 * The debit is keyed by the event, so a retry after a crash between the
 * debit and the record finds the debit and only writes the record.
 */
export async function recordUsage(models: BillingModels, input: UsageInput, plan: UsagePlan, now: Date = new Date()): Promise<RecordUsageResult> {
  if (!Types.ObjectId.isValid(input.subscriptionId)) return { ok: false, code: 'SUBSCRIPTION_NOT_ACTIVE' };
  const subscriptionId = new Types.ObjectId(input.subscriptionId);
  const known = await findRecord(models, subscriptionId, input.eventId);
  if (known) return { ok: true, record: known, duplicate: true };

  if (!Number.isSafeInteger(input.quantity) || input.quantity <= 0 || input.quantity > MAX_QUANTITY) return { ok: false, code: 'INVALID_QUANTITY' };
  const meter = plan.meters.find((m) => m.code === input.meterCode);
  if (!meter) return { ok: false, code: 'UNKNOWN_METER' };
  const subscription = await models.Subscription.findById(subscriptionId, { organizationId: 1, status: 1, currency: 1 }).lean();
  if (!subscription || subscription.organizationId !== input.organizationId || !USAGE_STATUSES.includes(subscription.status)) {
    return { ok: false, code: 'SUBSCRIPTION_NOT_ACTIVE' };
  }

  let debitMicros = 0;
  if (meter.prepaid) {
    const currency = subscription.currency;
    // A prepaid meter without a price in the subscription's currency cannot be charged here.
    const unitPrice = meter.unitPrices.find((p) => p.currency === currency);
    if (!unitPrice || !isSupportedCurrency(currency)) return { ok: false, code: 'UNKNOWN_METER' };
    const cost = BigInt(input.quantity) * BigInt(unitPrice.amountMicros);
    if (cost > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, code: 'INVALID_QUANTITY' };
    debitMicros = Number(cost);
    const minimum = plan.prepaidMinimums.find((m) => m.currency === currency);
    const minimumMicros = minimum ? minorToMicros(minimum.amountMinor, currency) : 0;

    const debit = await appendPrepaidEntry(models, {
      organizationId: input.organizationId,
      currency,
      kind: 'DEBIT',
      deltaMicros: -debitMicros,
      key: `usage/${subscriptionId.toString()}/${input.eventId}`,
      minimumBefore: Math.max(minimumMicros, debitMicros),
      at: now,
    });
    if (debit.status === 'REFUSED') {
      // A concurrent call with the same event may have debited and recorded it meanwhile.
      const recorded = await findRecord(models, subscriptionId, input.eventId);
      if (recorded) return { ok: true, record: recorded, duplicate: true };
      return { ok: false, code: 'PREPAID_BALANCE_BELOW_MINIMUM' };
    }
    debitMicros = -debit.entry.deltaMicros;
  }

  try {
    const created = await models.UsageRecord.create({
      organizationId: input.organizationId,
      subscriptionId,
      meterCode: meter.code,
      quantity: input.quantity,
      eventId: input.eventId,
      occurredAt: input.occurredAt,
      prepaidDebitMicros: debitMicros,
    });
    return { ok: true, record: created.toObject() as UsageRecordDoc, duplicate: false };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // A concurrent call with the same event recorded it first (its debit is the same ledger entry).
    const recorded = await findRecord(models, subscriptionId, input.eventId);
    if (!recorded) throw error;
    return { ok: true, record: recorded, duplicate: true };
  }
}

function findRecord(models: BillingModels, subscriptionId: Types.ObjectId, eventId: string) {
  return models.UsageRecord.findOne({ subscriptionId, eventId }).lean<UsageRecordDoc>();
}

export interface PrepaidBalance {
  currency: string;
  amountMicros: number;
}

/**
 * Why a prepaid top-up of `amount` cannot be taken, or null [004 §6.2]: a
 * supported currency, a positive amount within the invoice bounds, and the
 * organisation's subscription currency (a balance in another one could never
 * be drawn). One rule for the operator's recorded transfer and the customer's
 * card purchase.
 */
export async function topUpProblem(models: BillingModels, organizationId: string, amount: Money): Promise<{ code: string; field: string[] } | null> {
  if (!isSupportedCurrency(amount.currency)) return { code: 'UNSUPPORTED_CURRENCY', field: ['amount', 'currency'] };
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) return { code: 'MUST_BE_POSITIVE', field: ['amount', 'amountMinor'] };
  if (amount.amountMinor > MAX_PRICE_MINOR) return { code: 'TOO_LARGE', field: ['amount', 'amountMinor'] };
  const currencies = await models.Subscription.distinct('currency', { organizationId, status: { $nin: ENDED_SUBSCRIPTION_STATUSES } });
  if (currencies.length && !currencies.includes(amount.currency)) return { code: 'CURRENCY_MISMATCH', field: ['amount', 'currency'] };
  return null;
}

/**
 * Adds a top-up to the organisation's prepaid balance and returns the new
 * balance. `idempotencyKey` (e.g. the top-up payment's id) makes it count
 * once however often it is called; without one every call adds.
 */
export async function topUpPrepaidBalance(models: BillingModels, organizationId: string, amount: Money, idempotencyKey?: string, now: Date = new Date()): Promise<PrepaidBalance> {
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) throw new RangeError(`a top-up must be a positive amount, got ${amount.amountMinor}`);
  if (!isSupportedCurrency(amount.currency)) throw new RangeError(`unsupported currency: ${amount.currency}`);
  const outcome = await appendPrepaidEntry(models, {
    organizationId,
    currency: amount.currency,
    kind: 'TOP_UP',
    deltaMicros: minorToMicros(amount.amountMinor, amount.currency),
    key: `top-up/${organizationId}/${idempotencyKey ?? randomUUID()}`,
    minimumBefore: Number.MIN_SAFE_INTEGER,
    at: now,
  });
  if (outcome.status === 'REFUSED') throw new Error('a top-up cannot be refused');
  if (outcome.status === 'APPLIED') return { currency: amount.currency, amountMicros: outcome.entry.balanceMicros };
  return (await prepaidBalances(models, organizationId)).find((b) => b.currency === amount.currency) ?? { currency: amount.currency, amountMicros: 0 };
}

/** The organisation's prepaid balance in each currency it has topped up, sorted by currency. */
export async function prepaidBalances(models: BillingModels, organizationId: string): Promise<PrepaidBalance[]> {
  const ledger = await prepaidLedger(models);
  const balances: PrepaidBalance[] = [];
  for (const currency of SUPPORTED_CURRENCIES) {
    const last = await ledger.findOne({ organizationId, currency }).sort({ seq: -1 }).lean<PrepaidEntryDoc>();
    if (last) balances.push({ currency, amountMicros: last.balanceMicros });
  }
  return balances;
}

export interface MeterUsage {
  meterCode: string;
  quantity: number;
  /** what prepaid records of the meter already drew from the balance */
  prepaidDebitMicros: number;
}

/** Totals per meter (sorted by code) of the subscription's unbilled records with occurredAt in [from, to). */
export function usageForPeriod(models: BillingModels, subscriptionId: string, from: Date, to: Date): Promise<MeterUsage[]> {
  return totals(models, { subscriptionId: new Types.ObjectId(subscriptionId), invoiceId: null, occurredAt: { $gte: from, $lt: to } });
}

/** Totals per meter of the records markUsageBilled assigned to the invoice. */
export function usageOnInvoice(models: BillingModels, invoiceId: string | Types.ObjectId): Promise<MeterUsage[]> {
  return totals(models, { invoiceId: new Types.ObjectId(invoiceId) });
}

async function totals(models: BillingModels, match: Record<string, unknown>): Promise<MeterUsage[]> {
  // Summed here rather than with $group: FerretDB 1.x gets $group wrong with
  // more than one accumulator (and answers 0 for `$sum: 1`).
  const byMeter = new Map<string, MeterUsage>();
  const records = models.UsageRecord.find(match, { meterCode: 1, quantity: 1, prepaidDebitMicros: 1 }).lean<UsageRecordDoc[]>().cursor();
  for await (const record of records) {
    const total = byMeter.get(record.meterCode) ?? { meterCode: record.meterCode, quantity: 0, prepaidDebitMicros: 0 };
    total.quantity += record.quantity;
    total.prepaidDebitMicros += record.prepaidDebitMicros ?? 0;
    byMeter.set(record.meterCode, total);
  }
  for (const total of byMeter.values()) {
    if (!Number.isSafeInteger(total.quantity) || !Number.isSafeInteger(total.prepaidDebitMicros)) throw new RangeError(`usage of ${total.meterCode} out of range`);
  }
  return [...byMeter.values()].sort((a, b) => a.meterCode.localeCompare(b.meterCode));
}

/**
 * Assigns the subscription's unbilled records with occurredAt in [from, to)
 * to the invoice; returns how many it assigned. Records already billed keep
 * their invoice, so repeating it is harmless.
 */
export async function markUsageBilled(models: BillingModels, subscriptionId: string, from: Date, to: Date, invoiceId: string | Types.ObjectId): Promise<number> {
  const result = await models.UsageRecord.updateMany(
    { subscriptionId: new Types.ObjectId(subscriptionId), invoiceId: null, occurredAt: { $gte: from, $lt: to } },
    { $set: { invoiceId: new Types.ObjectId(invoiceId) } },
  );
  return result.modifiedCount;
}
