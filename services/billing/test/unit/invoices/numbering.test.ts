import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { BillingModels, InvoiceDoc } from '../../../src/models/index.ts';
import {
  INVOICE_NUMBER_PATTERN,
  MAX_INVOICE_SEQUENCE,
  formatInvoiceNumber,
  invoiceSeries,
  invoiceYear,
  issueNumbered,
  issueNumberedInvoice,
  type InvoiceDraft,
} from '../../../src/invoices/numbering.ts';

describe('invoice numbers in the GİB shape (BIL-8)', () => {
  it('formats prefix + year + 9-digit sequence', () => {
    expect(formatInvoiceNumber('OMR', 2026, 1)).toBe('OMR2026000000001');
    expect(formatInvoiceNumber('A1B', 2027, 123_456_789)).toBe('A1B2027123456789');
    expect(formatInvoiceNumber('OMR', 2026, MAX_INVOICE_SEQUENCE)).toBe('OMR2026999999999');
  });

  it('always produces numbers matching the e-invoice pattern', () => {
    for (const [prefix, year, sequence] of [['OMR', 2026, 1], ['X9Z', 2099, 42], ['000', 2000, MAX_INVOICE_SEQUENCE]] as const) {
      expect(formatInvoiceNumber(prefix, year, sequence)).toMatch(INVOICE_NUMBER_PATTERN);
    }
    expect('OMR2026000000001').toMatch(INVOICE_NUMBER_PATTERN);
    expect('OMR202600000001').not.toMatch(INVOICE_NUMBER_PATTERN); // 8-digit sequence
    expect('omr2026000000001').not.toMatch(INVOICE_NUMBER_PATTERN);
    expect('OMR1999000000001').not.toMatch(INVOICE_NUMBER_PATTERN);
  });

  it.each(['OM', 'OMRX', 'omr', 'ÖMR', 'O-R', ''])('rejects the prefix %j', (prefix) => {
    expect(() => formatInvoiceNumber(prefix, 2026, 1)).toThrow(RangeError);
  });

  it.each([0, -1, 1.5, MAX_INVOICE_SEQUENCE + 1, Number.NaN])('rejects the sequence %s', (sequence) => {
    expect(() => formatInvoiceNumber('OMR', 2026, sequence)).toThrow(RangeError);
  });

  it('rejects years outside the 20xx the pattern allows', () => {
    expect(() => invoiceSeries('OMR', 1999)).toThrow(RangeError);
    expect(() => invoiceSeries('OMR', 2100)).toThrow(RangeError);
    expect(invoiceSeries('OMR', 2026)).toBe('OMR2026');
  });

  it('numbers by the issue year in Istanbul: 31 Dec 22:30 UTC is already the next year', () => {
    expect(invoiceYear(new Date('2026-12-31T22:30:00Z'))).toBe(2027);
    expect(invoiceYear(new Date('2026-12-31T20:59:59.999Z'))).toBe(2026);
    expect(invoiceYear(new Date('2026-12-31T21:00:00Z'))).toBe(2027);
    expect(invoiceYear(new Date('2027-01-01T00:30:00+03:00'))).toBe(2027);
    expect(() => invoiceYear(new Date('nope'))).toThrow(RangeError);
  });
});

/**
 * An in-memory invoices collection with the unique indexes of models/invoices.ts
 * (key, number, series+sequence). `beforeInsert` runs just before an insert
 * lands, so a test can let a concurrent issuer win the race.
 */
function fakeInvoices(beforeInsert?: (docs: InvoiceDoc[], attempt: number) => void) {
  const docs: InvoiceDoc[] = [];
  let inserts = 0;
  let seriesReads = 0;
  const duplicate = () => Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
  const insert = (doc: Record<string, unknown>) => {
    const d = doc as unknown as InvoiceDoc;
    if (docs.some((o) => o.key === d.key || o.number === d.number || (o.series === d.series && o.sequence === d.sequence))) throw duplicate();
    const stored = { ...d, _id: new Types.ObjectId() };
    docs.push(stored);
    return stored;
  };
  const Invoice = {
    findOne(filter: { key?: string; series?: string }) {
      const matches = docs.filter((d) => (filter.key === undefined || d.key === filter.key) && (filter.series === undefined || d.series === filter.series));
      const query = {
        sort: (spec: { sequence: -1 }) => {
          expect(spec).toEqual({ sequence: -1 });
          seriesReads += 1;
          matches.sort((a, b) => b.sequence - a.sequence);
          return query;
        },
        lean: async () => (matches[0] ? structuredClone(matches[0]) : null),
      };
      return query;
    },
    async create(doc: Record<string, unknown>) {
      inserts += 1;
      beforeInsert?.(docs, inserts);
      const stored = insert(doc);
      return { toObject: () => structuredClone(stored) };
    },
  };
  return { models: { Invoice } as unknown as Pick<BillingModels, 'Invoice'>, docs, insert, inserts: () => inserts, seriesReads: () => seriesReads };
}

function draft(key: string): InvoiceDraft {
  const money = (amountMinor: number) => ({ amountMinor, currency: 'TRY' });
  return {
    organizationId: 'org-1',
    subscriptionId: null,
    periodIndex: null,
    key,
    status: 'OPEN',
    currency: 'TRY',
    lines: [],
    subtotal: money(1000),
    taxRateBasisPoints: 2000,
    tax: money(200),
    total: money(1200),
    collectionMethod: 'CARD_AUTO',
    issuedAt: new Date('2026-03-02T09:00:00Z'),
    dueAt: new Date('2026-03-02T09:00:00Z'),
    paidAt: null,
    paymentReference: null,
    lateChargesBilledOn: null,
    statusHistory: [],
  };
}

const at = { prefix: 'OMR', issuedAt: new Date('2026-03-02T09:00:00Z') };

describe('issueNumberedInvoice (BIL-8: no gaps, no duplicates)', () => {
  it('starts a series at 1 and continues from its highest sequence', async () => {
    const { models } = fakeInvoices();
    const first = await issueNumberedInvoice(models, draft('a'), at);
    const second = await issueNumberedInvoice(models, draft('b'), at);
    expect([first.series, first.sequence, first.number]).toEqual(['OMR2026', 1, 'OMR2026000000001']);
    expect([second.sequence, second.number]).toEqual([2, 'OMR2026000000002']);
  });

  it('keeps series apart by prefix and by Istanbul year', async () => {
    const { models } = fakeInvoices();
    await issueNumberedInvoice(models, draft('a'), at);
    const otherPrefix = await issueNumberedInvoice(models, draft('b'), { ...at, prefix: 'IAD' });
    const newYear = await issueNumberedInvoice(models, draft('c'), { prefix: 'OMR', issuedAt: new Date('2026-12-31T22:30:00Z') });
    expect(otherPrefix.number).toBe('IAD2026000000001');
    expect(newYear.number).toBe('OMR2027000000001');
  });

  it('retries with the next sequence when another issuer took it first', async () => {
    const fake = fakeInvoices((docs, attempt) => {
      if (attempt === 1) fake.insert({ ...draft('rival'), series: 'OMR2026', sequence: 1, number: 'OMR2026000000001' });
    });
    const mine = await issueNumberedInvoice(fake.models, draft('mine'), at);
    expect(mine.number).toBe('OMR2026000000002');
    expect(fake.docs.map((d) => d.sequence).sort()).toEqual([1, 2]);
  });

  it('returns the existing invoice for a key already issued, taking no number', async () => {
    const { models, docs, inserts } = fakeInvoices();
    const first = await issueNumberedInvoice(models, draft('subscription/s1/period/1'), at);
    const again = await issueNumberedInvoice(models, { ...draft('subscription/s1/period/1'), total: { amountMinor: 1, currency: 'TRY' } }, at);
    expect(again._id.toString()).toBe(first._id.toString());
    expect(again.total.amountMinor).toBe(1200);
    expect(docs).toHaveLength(1);
    expect(inserts()).toBe(1);
    expect((await issueNumberedInvoice(models, draft('next'), at)).sequence).toBe(2);
  });

  it('returns the rival invoice when a concurrent issue of the same key wins the race', async () => {
    const fake = fakeInvoices((docs, attempt) => {
      if (attempt === 1) fake.insert({ ...draft('same'), series: 'OMR2026', sequence: 1, number: 'OMR2026000000001' });
    });
    const result = await issueNumberedInvoice(fake.models, draft('same'), at);
    expect(result.number).toBe('OMR2026000000001');
    expect(fake.docs).toHaveLength(1);
  });

  it('rethrows errors other than duplicate keys', async () => {
    const { models } = fakeInvoices(() => {
      throw new Error('disk full');
    });
    await expect(issueNumberedInvoice(models, draft('a'), at)).rejects.toThrow('disk full');
  });

  it('gives up after a bounded number of lost races', async () => {
    const fake = fakeInvoices(() => {
      const next = Math.max(0, ...fake.docs.map((d) => d.sequence)) + 1;
      fake.insert({ ...draft(`rival-${next}`), series: 'OMR2026', sequence: next, number: formatInvoiceNumber('OMR', 2026, next) });
    });
    await expect(issueNumberedInvoice(fake.models, draft('unlucky'), at)).rejects.toThrow(/could not take an invoice number/);
  });

  it('validates the prefix before touching the database', async () => {
    const { models, inserts } = fakeInvoices();
    await expect(issueNumberedInvoice(models, draft('a'), { ...at, prefix: 'om' })).rejects.toThrow(RangeError);
    expect(inserts()).toBe(0);
  });
});

describe('numbering at scale (issue 16): the series is read once per process, not per issue', () => {
  it('50 concurrent issues take 1..50 with one read of the series and one insert each', async () => {
    const fake = fakeInvoices();
    const issued = await Promise.all(Array.from({ length: 50 }, (_, i) => issueNumberedInvoice(fake.models, draft(`k${i}`), at)));
    expect(issued.map((invoice) => invoice.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(fake.seriesReads()).toBe(1);
    expect(fake.inserts()).toBe(50);
  });

  it('another process issuing in the same series is walked past, and after three losses in a row the series is read again', async () => {
    const fake = fakeInvoices();
    await issueNumberedInvoice(fake.models, draft('mine-1'), at);
    // Another process takes 2..11 meanwhile: this one starts at 2, loses three times, reads 11, and takes 12.
    for (let sequence = 2; sequence <= 11; sequence++) fake.insert({ ...draft(`other-${sequence}`), series: 'OMR2026', sequence, number: formatInvoiceNumber('OMR', 2026, sequence) });
    const mine = await issueNumberedInvoice(fake.models, draft('mine-2'), at);
    expect(mine.sequence).toBe(12);
    expect(fake.seriesReads()).toBe(2);
    expect(fake.docs.map((d) => d.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});

describe('credit notes share the numbering in a series of their own (issue 15)', () => {
  it('issueNumbered on the credit notes collection: IAD numbers from 1, gap-free, idempotent by key, invoices untouched', async () => {
    const invoices = fakeInvoices();
    const creditNotes = fakeInvoices();
    await issueNumberedInvoice(invoices.models, draft('invoice-1'), at);
    const notes = await Promise.all(['n1', 'n2', 'n3'].map((key) => issueNumbered<InvoiceDoc>(creditNotes.models.Invoice, draft(key), { ...at, prefix: 'IAD' })));
    expect(notes.map((note) => note.number).sort()).toEqual(['IAD2026000000001', 'IAD2026000000002', 'IAD2026000000003']);
    const again = await issueNumbered<InvoiceDoc>(creditNotes.models.Invoice, draft('n2'), { ...at, prefix: 'IAD' });
    expect(again.number).toBe(notes.find((note) => note.key === 'n2')!.number);
    expect(creditNotes.docs).toHaveLength(3);
    expect(invoices.docs.map((doc) => doc.number)).toEqual(['OMR2026000000001']);
  });
});
