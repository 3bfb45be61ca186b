import { Types } from 'mongoose';
import { isDuplicateKeyError } from '@omurga/shared';
import type { BillingModels, InvoiceDoc, PartnerCommissionDoc } from './models/index.ts';
import { applyBasisPoints } from './money.ts';

/**
 * Partner commissions (BIL-11, ACC-9 [003 §1 "Satış Ortaklığı Programı"]): a
 * referring partner earns a share of each paid invoice of the customers it
 * referred. The basis is the invoice's subtotal, KDV excluded: the tax is the
 * state's, not revenue. The amount is basis × rate, rounded half away from
 * zero to the minor unit (money.ts). One commission per invoice, enforced by
 * the unique index on invoiceId, so a retried accrual never pays twice.
 */

export const DEFAULT_COMMISSION_BASIS_POINTS = 1000; // 10 %

/** PARTNER_COMMISSION_BASIS_POINTS (0–10000, default 1000 = 10 %); anything else is a configuration error. */
export function commissionRateFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.PARTNER_COMMISSION_BASIS_POINTS?.trim();
  if (!raw) return DEFAULT_COMMISSION_BASIS_POINTS;
  const rate = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(rate) || rate > 10_000) {
    throw new Error(`PARTNER_COMMISSION_BASIS_POINTS must be a whole number of basis points from 0 to 10000, got "${raw}"`);
  }
  return rate;
}

export type CommissionOutcome =
  | { accrued: true; commission: PartnerCommissionDoc }
  | { accrued: false; reason: 'INVOICE_NOT_FOUND' | 'INVOICE_NOT_PAID' | 'NOTHING_TO_ACCRUE' | 'ALREADY_ACCRUED' };

export async function accruePartnerCommission(
  models: BillingModels,
  input: { invoiceId: string | Types.ObjectId; partnerId: string; rateBasisPoints: number },
  now: Date = new Date(),
): Promise<CommissionOutcome> {
  if (!Number.isSafeInteger(input.rateBasisPoints) || input.rateBasisPoints < 0 || input.rateBasisPoints > 10_000) {
    throw new RangeError(`commission rate must be 0–10000 basis points, got ${input.rateBasisPoints}`);
  }
  const invoice = Types.ObjectId.isValid(input.invoiceId) ? await models.Invoice.findById(input.invoiceId).lean<InvoiceDoc>() : null;
  if (!invoice) return { accrued: false, reason: 'INVOICE_NOT_FOUND' };
  if (invoice.status !== 'PAID') return { accrued: false, reason: 'INVOICE_NOT_PAID' };

  const basis = { amountMinor: invoice.subtotal.amountMinor, currency: invoice.subtotal.currency };
  const amount = applyBasisPoints(basis, input.rateBasisPoints);
  if (amount.amountMinor <= 0) return { accrued: false, reason: 'NOTHING_TO_ACCRUE' };

  try {
    const created = await models.PartnerCommission.create({
      partnerId: input.partnerId,
      organizationId: invoice.organizationId,
      invoiceId: invoice._id,
      invoiceNumber: invoice.number,
      basis,
      rateBasisPoints: input.rateBasisPoints,
      amount,
      accruedAt: now,
    });
    return { accrued: true, commission: created.toObject() as PartnerCommissionDoc };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { accrued: false, reason: 'ALREADY_ACCRUED' };
    throw error;
  }
}
