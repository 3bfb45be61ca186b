import { isDuplicateKeyError } from '@omurga/shared';
import type { Types } from 'mongoose';
import type { BillingModels, InvoiceDoc } from '../models/index.ts';

/** Who made a correction and why (ACC-10). */
export interface CorrectionActor {
  actorId: string;
  actorRoles: string[];
}

export type CorrectionFailure = { ok: false; code: string; field: string[] };

const MAX_ROUNDS = 50;

/** Matches the invoice at the version it was read at; invoices from before corrections have no version (0). */
export function atVersion(invoice: Pick<InvoiceDoc, '_id' | 'correctionVersion'>) {
  const version = invoice.correctionVersion ?? 0;
  return { _id: invoice._id, correctionVersion: version === 0 ? { $in: [0, null] } : version };
}

/**
 * Takes a hold on the invoice (a credit or a refund amount) with one
 * conditional update on its correctionVersion: of two concurrent requests
 * only one reads the remainder it changes, the other reads again. `decide`
 * sees the invoice as it is and answers the hold to add, the existing one
 * to reuse (the same key again), or a failure.
 */
export async function holdOnInvoice<Hold>(
  models: BillingModels,
  invoiceId: Types.ObjectId | string,
  field: 'credits' | 'refundHolds',
  decide: (invoice: InvoiceDoc) => { ok: true; hold: Hold; existing: boolean } | CorrectionFailure,
): Promise<{ ok: true; hold: Hold; invoice: InvoiceDoc } | CorrectionFailure> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const invoice = await models.Invoice.findById(invoiceId).lean<InvoiceDoc>();
    if (!invoice) return { ok: false, code: 'INVOICE_NOT_FOUND', field: ['invoiceId'] };
    const decided = decide(invoice);
    if (!decided.ok || decided.existing) return decided.ok ? { ok: true, hold: decided.hold, invoice } : decided;
    const updated = await models.Invoice.updateOne(atVersion(invoice), { $push: { [field]: decided.hold }, $inc: { correctionVersion: 1 } });
    if (updated.modifiedCount === 1) return { ok: true, hold: decided.hold, invoice };
  }
  throw new Error(`invoice ${String(invoiceId)}: too many concurrent corrections`);
}

/** Removes the hold of `key` (a refund the provider refused), by the same conditional update as taking one. */
export async function releaseHold(models: BillingModels, invoiceId: Types.ObjectId | string, field: 'credits' | 'refundHolds', key: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const invoice = await models.Invoice.findById(invoiceId).lean<InvoiceDoc>();
    const holds = (invoice?.[field] ?? []) as { key: string }[];
    if (!invoice || !holds.some((hold) => hold.key === key)) return;
    // the whole array, not $pull with a condition: FerretDB does not match sub-documents in $pull alike
    const kept = holds.filter((hold) => hold.key !== key);
    const updated = await models.Invoice.updateOne(atVersion(invoice), { $set: { [field]: kept }, $inc: { correctionVersion: 1 } });
    if (updated.modifiedCount === 1) return;
  }
  throw new Error(`invoice ${String(invoiceId)}: too many concurrent corrections`);
}

/** Finds the hold of `key` and checks that it was made for the same request. */
export function sameRequest<Hold extends { key: string; request: string }>(holds: readonly Hold[] | undefined, key: string, request: string): Hold | 'reused' | null {
  const hold = holds?.find((h) => h.key === key);
  if (!hold) return null;
  return hold.request === request ? hold : 'reused';
}

/** The audit entry of a correction; one per action and target, so a repeated request writes it once. */
export async function auditCorrection(
  models: BillingModels,
  entry: { action: string; invoice: Pick<InvoiceDoc, '_id' | 'organizationId'>; targetId: string; actor: CorrectionActor; reason: string; detail?: unknown; at: Date },
): Promise<void> {
  try {
    await models.BillingAudit.create({
      action: entry.action,
      organizationId: entry.invoice.organizationId,
      invoiceId: entry.invoice._id,
      targetId: entry.targetId,
      actorId: entry.actor.actorId,
      actorRoles: entry.actor.actorRoles,
      reason: entry.reason,
      detail: entry.detail ?? null,
      at: entry.at,
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
