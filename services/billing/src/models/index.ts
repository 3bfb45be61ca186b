import type { Connection } from 'mongoose';
import { planSchema, policySchema } from './catalogue.ts';
import { billingAuditSchema, creditNoteSchema, refundSchema } from './corrections.ts';
import { couponSchema } from './coupons.ts';
import { invoiceSchema } from './invoices.ts';
import { billingEmailSchema, cardCaptureSessionSchema, partnerCommissionSchema, paymentAttemptSchema } from './payments.ts';
import { billingAccountSchema, cancellationRightSchema, subscriptionSchema, usageRecordSchema } from './subscriptions.ts';

export * from './catalogue.ts';
export * from './common.ts';
export * from './corrections.ts';
export * from './coupons.ts';
export * from './invoices.ts';
export * from './payments.ts';
export * from './subscriptions.ts';

export function billingModels(db: Connection) {
  return {
    ContractPolicy: db.model('ContractPolicy', policySchema),
    Plan: db.model('Plan', planSchema),
    Subscription: db.model('Subscription', subscriptionSchema),
    BillingAccount: db.model('BillingAccount', billingAccountSchema),
    CancellationRight: db.model('CancellationRight', cancellationRightSchema),
    UsageRecord: db.model('UsageRecord', usageRecordSchema),
    Invoice: db.model('Invoice', invoiceSchema),
    PaymentAttempt: db.model('PaymentAttempt', paymentAttemptSchema),
    PartnerCommission: db.model('PartnerCommission', partnerCommissionSchema),
    BillingEmail: db.model('BillingEmail', billingEmailSchema),
    CreditNote: db.model('CreditNote', creditNoteSchema),
    Refund: db.model('Refund', refundSchema),
    BillingAudit: db.model('BillingAudit', billingAuditSchema),
    Coupon: db.model('Coupon', couponSchema),
    CardCaptureSession: db.model('CardCaptureSession', cardCaptureSessionSchema),
  };
}
export type BillingModels = ReturnType<typeof billingModels>;
