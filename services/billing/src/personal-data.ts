import type { DataSubject, ErasureLine, KeptLine, ServiceErasureReport } from '@omurga/shared/contracts';
import type { Client } from '@temporalio/client';
import { ENDED_SUBSCRIPTION_STATUSES } from './workflows/contracts.ts';
import type { BillingModels, SubscriptionDoc } from './models/index.ts';
import { requestCancellation } from './subscription-requests.ts';
import { prepaidLedger } from './usage.ts';

/**
 * KVKK erasure and export of what billing holds (CON-5 ACCESS, CON-6, CON-9).
 * Invoices are accounting records: they are kept for the legal period (VUK
 * 253: 5 years; TTK 82: 10 years, from the end of the year of issue) and
 * restricted to billing operators; periodic destruction anonymises their buyer
 * afterwards. The buyer identity frozen on an invoice (VUK art. 230: name,
 * TCKN/VKN, tax office, address) is part of the record and is kept with it;
 * destroyExpired removes it with the rest of `customer`. The stored card
 * token and the e-mail recipients go at once.
 */

const LEGAL_BASIS = 'VUK art. 253 (5 years) and TTK art. 82 (10 years) from the end of the year of issue';
const RETENTION_YEARS = 10;

/** The last day an invoice issued at `issuedAt` must be kept (TTK 82: ten years after the end of its year). */
export function invoiceRetainUntil(issuedAt: Date): Date {
  const year = Number(issuedAt.toLocaleString('en-CA', { timeZone: 'Europe/Istanbul', year: 'numeric' }));
  return new Date(Date.UTC(year + RETENTION_YEARS, 11, 31, 21, 0, 0)); // 1 January, 00:00 Istanbul, of the year after
}

const line = (collection: string, description: string, count: number): ErasureLine => ({ collection, description, count });
const organizationsOf = (subject: DataSubject) => (subject.kind === 'PERSON' ? subject.organizationIds : [subject.organizationId]);

/**
 * The erased customer's contracts end: every live subscription of the
 * organisations erased is cancelled without notice, so it ends with its
 * current (already paid) period and nothing is renewed or charged to a card
 * that is gone [BIL-7: no refunds for partial periods]. Counts the ones this
 * call cancelled.
 */
async function endLiveSubscriptions(models: BillingModels, temporal: Client, organizationIds: string[], now: Date): Promise<number> {
  const live = await models.Subscription.find({ organizationId: { $in: organizationIds }, status: { $nin: ENDED_SUBSCRIPTION_STATUSES } }).lean<SubscriptionDoc[]>();
  let cancelled = 0;
  for (const subscription of live) {
    if ((await requestCancellation(models, temporal, subscription, now, 'erasure of the customer')).changed) cancelled++;
  }
  return cancelled;
}

export async function eraseSubject(models: BillingModels, temporal: Client, subject: DataSubject, now: Date): Promise<ServiceErasureReport> {
  const orgs = organizationsOf(subject);
  const erased: ErasureLine[] = [];
  const kept: KeptLine[] = [];
  if (orgs.length > 0) {
    erased.push(line('subscriptions', 'live subscriptions cancelled without notice, ending with their current period', await endLiveSubscriptions(models, temporal, orgs, now)));
    const cards = await models.BillingAccount.updateMany({ _id: { $in: orgs }, paymentMethod: { $ne: null } }, { $set: { paymentMethod: null } });
    // (array-position filters like 'to.0' are not portable to FerretDB: the non-empty ones are picked here)
    const addressed = (await models.BillingEmail.find({ organizationId: { $in: orgs } }, { to: 1 }).lean()).filter((e) => e.to.length > 0);
    if (addressed.length > 0) await models.BillingEmail.updateMany({ _id: { $in: addressed.map((e) => e._id) } }, { $set: { to: [] } });
    // Hosted card captures (issue 15) name the card by brand and last four digits: gone with the card.
    const captures = await models.CardCaptureSession.deleteMany({ organizationId: { $in: orgs } });
    erased.push(
      line('billing_accounts', 'stored card token', cards.modifiedCount),
      line('billing_emails', 'e-mail recipients', addressed.length),
      line('card_capture_sessions', 'card captures (card brand and last four digits)', captures.deletedCount),
    );

    const invoices = await models.Invoice.find({ organizationId: { $in: orgs } }, { issuedAt: 1, restrictedAt: 1 }).lean();
    for (const invoice of invoices.filter((i) => !i.restrictedAt)) {
      await models.Invoice.updateOne(
        { _id: invoice._id, restrictedAt: null },
        { $set: { restrictedAt: now, retainUntil: invoiceRetainUntil(invoice.issuedAt) } },
      );
    }
    if (invoices.length > 0) {
      const until = Math.max(...invoices.map((i) => invoiceRetainUntil(i.issuedAt).getTime()));
      kept.push({
        collection: 'invoices',
        description: 'invoices with the buyer as printed (legal name, TCKN or VKN, tax office, address), and their payment records',
        count: invoices.length,
        legalBasis: LEGAL_BASIS,
        keptUntil: new Date(until).toISOString().slice(0, 10),
        restricted: true,
      });
    }
  }
  if (subject.kind === 'PERSON' && subject.email) {
    const email = subject.email;
    const toPerson = await models.BillingEmail.find({ to: email }, { to: 1 }).lean();
    for (const sent of toPerson) await models.BillingEmail.updateOne({ _id: sent._id }, { $set: { to: sent.to.filter((a) => a !== email) } });
    erased.push(line('billing_emails', 'the person as an e-mail recipient', toPerson.length));
  }
  return { service: 'billing', erased: erased.filter((l) => l.count > 0), kept };
}

export async function exportSubject(models: BillingModels, subject: DataSubject): Promise<Record<string, unknown>> {
  const orgs = organizationsOf(subject);
  const data: Record<string, unknown> = {};
  if (orgs.length > 0) {
    const filter = { organizationId: { $in: orgs } };
    const accounts = await models.BillingAccount.find({ _id: { $in: orgs } }).lean();
    Object.assign(data, {
      subscriptions: await models.Subscription.find(filter, { __v: 0 }).lean(),
      invoices: await models.Invoice.find(filter, { __v: 0 }).lean(),
      paymentAttempts: await models.PaymentAttempt.find(filter, { __v: 0 }).lean(),
      // the card itself is with the payment institution; the token is a secret for charging it
      paymentMethods: accounts.map((a) => ({ organizationId: a._id, provider: a.paymentMethod?.provider ?? null, cardLabel: a.paymentMethod?.cardLabel ?? null, addedAt: a.paymentMethod?.addedAt ?? null })),
      usageRecords: await models.UsageRecord.find(filter, { __v: 0 }).lean(),
      prepaidEntries: await (await prepaidLedger(models)).find(filter, { __v: 0 }).lean(),
      billingEmails: await models.BillingEmail.find(filter, { __v: 0 }).lean(),
    });
  }
  if (subject.kind === 'PERSON' && subject.email) {
    data.billingEmailsToYou = await models.BillingEmail.find({ to: subject.email }, { __v: 0 }).lean();
  }
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

/** Periodic destruction (CON-7): buyers of invoices past their legal period, billing e-mail records past two years. */
export async function destroyExpired(models: BillingModels, now: Date): Promise<ServiceErasureReport> {
  const twoYearsAgo = new Date(now.getTime() - 2 * 365 * 86_400_000);
  const [buyers, emails] = await Promise.all([
    models.Invoice.updateMany({ retainUntil: { $lt: now }, customer: { $ne: null } }, { $set: { customer: null } }),
    models.BillingEmail.deleteMany({ createdAt: { $lt: twoYearsAgo } }),
  ]);
  return {
    service: 'billing',
    erased: [
      line('invoices', 'buyers of invoices past their legal retention period', buyers.modifiedCount),
      line('billing_emails', 'billing e-mail records older than two years', emails.deletedCount),
    ].filter((l) => l.count > 0),
    kept: [],
  };
}
