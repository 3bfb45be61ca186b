import type { BillingModels, InvoiceDoc } from '../models/index.ts';
import type { EInvoiceIntegrator } from './integrator.ts';

export interface EInvoiceSending {
  integrator: EInvoiceIntegrator;
  /** the invoice's UBL-TR XML and profile */
  document: (invoice: InvoiceDoc) => { xml: string; profile: string };
}

/**
 * Sends an issued invoice's UBL-TR document to the integrator and records the
 * receipt on the invoice. Sending again is safe: the integrator keys on the ETTN.
 */
export async function sendEInvoice(models: Pick<BillingModels, 'Invoice'>, sending: EInvoiceSending, invoice: InvoiceDoc): Promise<InvoiceDoc> {
  if (!invoice.ettn) throw new Error(`invoice ${invoice.number} has no ETTN`);
  const { xml, profile } = sending.document(invoice);
  const receipt = await sending.integrator.send({ ettn: invoice.ettn, number: invoice.number, profile, xml });
  const eInvoice = { integrator: sending.integrator.name, profile, status: receipt.status, reference: receipt.reference, detail: receipt.detail, sentAt: new Date() };
  return (await models.Invoice.findByIdAndUpdate(invoice._id, { $set: { eInvoice } }, { new: true }).lean<InvoiceDoc>())!;
}
