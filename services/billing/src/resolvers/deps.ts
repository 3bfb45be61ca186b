import type { Client } from '@temporalio/client';
import type { MemberRole, OperatorRole, SubgraphContext } from '@omurga/shared';
import type { BillingLoaders } from '../loaders.ts';
import type { BillingModels } from '../models/index.ts';
import type { PaymentProvider } from '../payments/provider.ts';
import type { EInvoiceSending } from '../einvoice/send.ts';
import type { HostedCardCapture } from '../payments/card-capture.ts';

export interface CardCharging {
  provider: PaymentProvider;
  timeoutMs: number;
}

export interface BillingDeps {
  models: BillingModels;
  temporal: Client;
  /** the configured payment provider, which the stored tokens belong to */
  paymentProvider: string;
  /** charges the card on file outside the subscription lifecycle (prepaid credit); absent in tests that never charge */
  charging?: CardCharging;
  /** hands UBL-TR documents to the e-invoice integrator; absent in tests that never send */
  eInvoices?: EInvoiceSending;
  /** the credit notes' series prefix (CREDIT_NOTE_SERIES_PREFIX); default IAD */
  creditNotePrefix?: string;
  /** the provider's hosted card page (issue 15); absent in tests that never capture */
  cardCapture?: { capture: HostedCardCapture; publicBaseUrl: string };
}

export type Ctx = SubgraphContext<BillingLoaders>;

/** Who may see and pay invoices: OWNER, ADMIN, BILLING members and billing operators. READ_ONLY and AGENT see subscription status only. */
export const INVOICE_ACCESS = {
  roles: ['OWNER', 'ADMIN', 'BILLING'] as readonly MemberRole[],
  operatorRoles: ['BILLING_ADMIN'] as readonly OperatorRole[],
};
/** Who may change an organisation's subscriptions and payment method. */
export const BILLING_WRITE_ACCESS = { write: true, ...INVOICE_ACCESS };
