import type { Types } from 'mongoose';
import type { BillingModels, SubscriptionDoc } from '../models/index.ts';
import { discountDescription, discountStillApplies } from './discount.ts';
import { couponTerms } from './redeem.ts';

/**
 * The coupon discount of the subscription's next invoice, or null once it
 * has discounted as many invoices as its duration allows. Counted from the
 * subscription's earlier invoices that carry a discount line, so a retried
 * issue (the same invoice id) counts the same.
 */
export async function invoiceDiscount(models: BillingModels, subscription: SubscriptionDoc, invoiceId: Types.ObjectId) {
  const discount = subscription.discount;
  if (!discount) return null;
  const terms = couponTerms(discount);
  const already = await models.Invoice.countDocuments({
    subscriptionId: subscription._id,
    _id: { $ne: invoiceId },
    // A subscription redeems one coupon, ever, so any discount line on its invoices is this coupon's.
    'lines.kind': 'DISCOUNT',
  });
  if (!discountStillApplies(terms, already)) return null;
  const base = { amountMinor: 0, currency: subscription.currency };
  return { terms, description: discountDescription(terms, base, already + 1) };
}
