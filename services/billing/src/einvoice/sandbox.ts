import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { isDuplicateKeyError } from '@omurga/shared';
import type { EInvoiceDocument, EInvoiceIntegrator, EInvoiceReceipt } from './integrator.ts';

/**
 * The sandbox integrator: records every document it is sent in billing's
 * database (one row per ETTN, the first send wins) and accepts it, so local
 * runs and tests can see exactly what would have gone to GİB.
 */
const sandboxEInvoiceSchema = new Schema(
  {
    ettn: { type: String, required: true },
    number: { type: String, required: true },
    profile: { type: String, required: true },
    xml: { type: String, required: true },
    status: { type: String, required: true },
    reference: { type: String, required: true },
    sends: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandbox_einvoices' },
);
sandboxEInvoiceSchema.index({ ettn: 1 }, { unique: true });

export type SandboxEInvoiceDoc = InferSchemaType<typeof sandboxEInvoiceSchema>;

export function sandboxEInvoiceModel(db: Connection): Model<SandboxEInvoiceDoc> {
  return (db.models.SandboxEInvoice as Model<SandboxEInvoiceDoc> | undefined) ?? db.model('SandboxEInvoice', sandboxEInvoiceSchema);
}

const receipt = (row: Pick<SandboxEInvoiceDoc, 'status' | 'reference'>): EInvoiceReceipt => ({ status: row.status as EInvoiceReceipt['status'], reference: row.reference, detail: null });

export function createSandboxIntegrator(db: Connection): EInvoiceIntegrator {
  const Sent = sandboxEInvoiceModel(db);
  return {
    name: 'sandbox',
    async send(document: EInvoiceDocument) {
      try {
        await Sent.create({ ...document, status: 'ACCEPTED', reference: `sandbox-${document.ettn}`, sends: 1, createdAt: new Date() });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await Sent.updateOne({ ettn: document.ettn }, { $inc: { sends: 1 } });
      }
      return receipt((await Sent.findOne({ ettn: document.ettn }).lean())!);
    },
    async status(ettn: string) {
      const row = await Sent.findOne({ ettn }).lean();
      return row ? receipt(row) : null;
    },
  };
}

/** The integrator EINVOICE_INTEGRATOR names (only the sandbox exists). */
export function selectEInvoiceIntegrator(name: 'sandbox', db: Connection): EInvoiceIntegrator {
  switch (name) {
    case 'sandbox':
      return createSandboxIntegrator(db);
  }
}
