// BIL-8: invoice numbers stay gapless and unique when many issues race, on the
// e2e stack's real database (FerretDB locally and in CI), from several
// connections as several billing processes would.
import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INVOICE_NUMBER_PATTERN, issueNumberedInvoice, type InvoiceDraft } from '../../services/billing/src/invoices/numbering.ts';
import { billingModels, type BillingModels } from '../../services/billing/src/models/index.ts';

const stack = inject('stack');
const dbName = `billing_numbers_${randomBytes(4).toString('hex')}`;
const CONNECTIONS = 4;
const INVOICES = 40;

let connections: Connection[] = [];
let models: BillingModels[] = [];

beforeAll(async () => {
  const uri = stack.env.MONGODB_URI;
  if (!uri) throw new Error('the e2e stack reports no MONGODB_URI');
  connections = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise()),
  );
  models = connections.map((connection) => billingModels(connection));
  await Promise.all(Object.values(models[0]!).map((model) => model.init())); // the unique indexes numbering relies on
});

afterAll(async () => {
  await connections[0]?.dropDatabase();
  await Promise.all(connections.map((connection) => connection.close()));
});

function draft(key: string, issuedAt: Date): InvoiceDraft {
  const money = (amountMinor: number) => ({ amountMinor, currency: 'TRY' });
  return {
    organizationId: 'org-e2e',
    subscriptionId: null,
    periodIndex: null,
    key,
    status: 'OPEN',
    currency: 'TRY',
    lines: [],
    subtotal: money(10_000),
    taxRateBasisPoints: 2000,
    tax: money(2_000),
    total: money(12_000),
    collectionMethod: 'BANK_TRANSFER',
    issuedAt,
    dueAt: issuedAt,
    paidAt: null,
    paymentReference: null,
    lateChargesBilledOn: null,
    statusHistory: [],
  };
}

describe('invoice numbering under concurrency (BIL-8)', () => {
  const issuedAt = new Date('2026-06-15T09:00:00Z');
  const options = { prefix: 'OMR', issuedAt };

  it(`issues ${INVOICES} invoices at once from ${CONNECTIONS} connections as sequences 1..${INVOICES}, no gaps, no duplicates`, async () => {
    const issued = await Promise.all(
      Array.from({ length: INVOICES }, (_, i) => issueNumberedInvoice(models[i % CONNECTIONS]!, draft(`race/${i}`, issuedAt), options)),
    );
    expect(issued.map((invoice) => invoice.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: INVOICES }, (_, i) => i + 1));
    expect(new Set(issued.map((invoice) => invoice.number)).size).toBe(INVOICES);
    for (const invoice of issued) {
      expect(invoice.number).toMatch(INVOICE_NUMBER_PATTERN);
      expect(invoice.number).toBe(`OMR2026${String(invoice.sequence).padStart(9, '0')}`);
      expect(invoice.series).toBe('OMR2026');
    }
    expect(await models[0]!.Invoice.countDocuments({ series: 'OMR2026' })).toBe(INVOICES);
  });

  it('returns the same invoice for a key issued again, concurrently too, and takes no number', async () => {
    const stored = await models[0]!.Invoice.findOne({ key: 'race/7' }).lean();
    const reissued = await issueNumberedInvoice(models[1]!, draft('race/7', issuedAt), options);
    expect(reissued._id.toString()).toBe(stored!._id.toString());
    expect(reissued.number).toBe(stored!.number);
    expect(await models[0]!.Invoice.countDocuments({ series: 'OMR2026' })).toBe(INVOICES);

    const again = await Promise.all(models.map((m) => issueNumberedInvoice(m, draft('subscription/s1/period/3', issuedAt), options)));
    expect(new Set(again.map((invoice) => invoice._id.toString())).size).toBe(1);
    expect(again[0]!.sequence).toBe(INVOICES + 1);
    const next = await issueNumberedInvoice(models[2]!, draft('after-reissue', issuedAt), options);
    expect(next.sequence).toBe(INVOICES + 2);
    expect(await models[0]!.Invoice.countDocuments({ series: 'OMR2026' })).toBe(INVOICES + 2);
  });

  it('starts a new series at 1 for the next Istanbul year (31 Dec 22:30 UTC)', async () => {
    const newYear = await issueNumberedInvoice(models[3]!, draft('new-year', new Date('2026-12-31T22:30:00Z')), {
      prefix: 'OMR',
      issuedAt: new Date('2026-12-31T22:30:00Z'),
    });
    expect(newYear.number).toBe('OMR2027000000001');
  });
});
