/**
 * The e-invoice integrator (özel entegratör): the licensed company that signs
 * UBL-TR documents and delivers them to GİB (e-Fatura to the buyer's inbox,
 * e-Arşiv reports). External and unreachable from here, so it stays behind
 * this interface; EINVOICE_INTEGRATOR picks the implementation.
 */
export const EINVOICE_STATUSES = ['QUEUED', 'ACCEPTED', 'REJECTED'] as const;
export type EInvoiceStatus = (typeof EINVOICE_STATUSES)[number];

export interface EInvoiceDocument {
  /** the ETTN: the integrator's idempotency key, a resend of the same ETTN is the same document */
  ettn: string;
  number: string;
  profile: string;
  xml: string;
}

export interface EInvoiceReceipt {
  status: EInvoiceStatus;
  /** the integrator's own reference of the document */
  reference: string;
  /** why GİB or the integrator refused it, when REJECTED */
  detail: string | null;
}

export interface EInvoiceIntegrator {
  readonly name: string;
  /** Hands the document over; idempotent by ETTN. */
  send(document: EInvoiceDocument): Promise<EInvoiceReceipt>;
  /** Where the document stands; null for an ETTN never sent. */
  status(ettn: string): Promise<EInvoiceReceipt | null>;
}
