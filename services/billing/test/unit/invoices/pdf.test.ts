import { describe, expect, it } from 'vitest';
import { formatUnitPrice, renderInvoicePdf, type InvoiceForPdf, type InvoiceParties } from '../../../src/invoices/pdf.ts';

/**
 * The text a pdfkit PDF shows, one string per text run. Text in an embedded
 * font is written as glyph ids, so they are mapped back through the font's
 * ToUnicode table (readable with compress: false).
 */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const glyphs = new Map<number, string>();
  // a glyph may stand for several characters (the ffi ligature: <0066 0066 0069>)
  const utf16 = (hex: string) => String.fromCharCode(...(hex.replace(/\s/g, '').match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16)));
  for (const table of raw.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of (table[1] ?? '').matchAll(/<([0-9a-f]+)>\s*<[0-9a-f]+>\s*\[([^\]]*)\]/gi)) {
      const first = parseInt(range[1] ?? '', 16);
      [...(range[2] ?? '').matchAll(/<([0-9a-f\s]+)>/gi)].forEach((unicode, i) => glyphs.set(first + i, utf16(unicode[1] ?? '')));
    }
  }
  const runs: string[] = [];
  for (const show of raw.matchAll(/\[((?:<[0-9a-f]*>|[\s\d.-])*)\]\s*TJ/gi)) {
    let run = '';
    for (const hex of (show[1] ?? '').matchAll(/<([0-9a-f]*)>/gi)) {
      for (const id of (hex[1] ?? '').match(/.{4}/g) ?? []) run += glyphs.get(parseInt(id, 16)) ?? '\uFFFD';
    }
    runs.push(run);
  }
  return runs.join('\n');
}

const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

const TRY = (amountMinor: number) => ({ amountMinor, currency: 'TRY' });

const invoice: InvoiceForPdf = {
  number: 'OMR2026000000042',
  status: 'OPEN',
  currency: 'TRY',
  lines: [
    { kind: 'PLAN', code: 'OMNI-PRO', description: 'Omnichannel Pro — aylık abonelik (Kasım 2026)', quantity: 1, unitAmountMicros: 1_200_000_000, amount: TRY(120_000) },
    { kind: 'USAGE', code: 'MINUTES', description: 'Çağrı dakikası: İstanbul–Ağrı, ışık ğüşıöç İĞŞÜÖÇ', quantity: 1234.5, unitAmountMicros: 18_800, amount: TRY(2_321) },
  ],
  subtotal: TRY(122_321),
  taxRateBasisPoints: 2000,
  tax: TRY(24_464),
  total: TRY(146_785),
  issuedAt: new Date('2026-11-02T07:30:00Z'),
  dueAt: new Date('2026-11-11T21:00:00Z'), // end of 11 Nov in Istanbul
  paidAt: null,
};

const parties: InvoiceParties = {
  seller: { name: 'Omurga Yazılım A.Ş.', taxOffice: 'Kadıköy', taxId: '1234567890', address: 'Caferağa Mah. Moda Cad. No: 1, Kadıköy / İstanbul' },
  customer: { name: 'Çağrı Şişli İletişim Hizmetleri Ltd. Şti.', customerCode: 'MUS-AB2C-3DEF' },
  locale: 'tr',
};

describe('renderInvoicePdf (BIL-8 downloadable invoice)', () => {
  it('renders a complete PDF file', async () => {
    const pdf = await renderInvoicePdf(invoice, parties);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf.toString('latin1')).toContain('/FlateDecode'); // compressed unless asked otherwise
  });

  it('titles the document with the invoice number', async () => {
    const raw = (await renderInvoicePdf(invoice, parties, { compress: false })).toString('latin1');
    const titleRef = /\/Title (\d+) 0 R/.exec(raw)?.[1];
    expect(raw).toMatch(new RegExp(`\\b${titleRef} 0 obj\\s*\\(OMR2026000000042\\)`));
  });

  it('shows seller, number, dates, customer, lines, KDV and total in Turkish, with Turkish letters and ₺', async () => {
    const text = pdfText(await renderInvoicePdf(invoice, parties, { compress: false }));
    for (const expected of [
      'Omurga Yazılım A.Ş.',
      'Vergi Dairesi: Kadıköy',
      'VKN: 1234567890',
      'FATURA / INVOICE',
      'OMR2026000000042',
      '02 Kas 2026 10:30', // issued, Istanbul time
      '11 Kas 2026', // the end-of-day deadline shows as its own day, not the 12th
      'Ödenmedi',
      'Çağrı Şişli İletişim Hizmetleri Ltd. Şti.',
      'Müşteri Kodu: MUS-AB2C-3DEF',
      'Açıklama',
      'Birim Fiyat',
      '1.234,5',
      '0,0188 ₺', // sub-kuruş unit price kept exact
      '23,21 ₺',
      '1.223,21 ₺',
      'KDV (%20)',
      '244,64 ₺',
      'Genel Toplam',
      '1.467,85 ₺',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/ışık\s?ğüşıöç\s?İĞŞÜÖÇ/);
    expect(text).not.toContain('\uFFFD');
    expect(text).not.toContain('12 Kas 2026');
  });

  it('prints the buyer identity frozen at issue: address, tax office and VKN, or TCKN for a person (VUK art. 230, issue 15)', async () => {
    const company = {
      customerType: 'CORPORATE',
      legalName: parties.customer.name,
      taxId: '4840847211',
      taxOffice: 'Mecidiyeköy',
      nationalId: null,
      address: { line1: 'Halaskargazi Cad. No: 12', line2: null, district: 'Şişli', city: 'İstanbul', postalCode: '34371', country: 'Türkiye' },
    };
    const text = pdfText(await renderInvoicePdf(invoice, { ...parties, customer: { ...parties.customer, buyer: company } }, { compress: false }));
    expect(text).toContain('Halaskargazi Cad. No: 12, Şişli/İstanbul 34371, Türkiye');
    expect(text).toContain('Vergi Dairesi: Mecidiyeköy');
    expect(text).toContain('VKN: 4840847211');
    const person = { ...company, customerType: 'INDIVIDUAL', legalName: 'Ayşe Demir', taxId: null, taxOffice: null, nationalId: '10000000146' };
    const english = pdfText(await renderInvoicePdf(invoice, { ...parties, locale: 'en', customer: { name: 'Ayşe Demir', buyer: person } }, { compress: false }));
    expect(english).toContain('National ID (TCKN): 10000000146');
    expect(english).not.toContain('Mecidiyeköy'); // a person has no tax office
  });

  it('writes English labels and amounts for locale en', async () => {
    const text = pdfText(await renderInvoicePdf({ ...invoice, status: 'PAID', paidAt: new Date('2026-11-05T12:00:00Z') }, { ...parties, locale: 'en' }, { compress: false }));
    for (const expected of ['Invoice No', 'Issue date', 'Due date', '11 Nov 2026', 'Paid on', '05 Nov 2026 15:00', 'Paid', 'Bill to', 'Unit price', 'VAT (KDV 20%)', '₺1,467.85']) {
      expect(text).toContain(expected);
    }
  });

  it('keeps sub-cent unit prices exact in other currencies [004 §6.1]', async () => {
    const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    const usd: InvoiceForPdf = {
      ...invoice,
      currency: 'USD',
      lines: [{ kind: 'USAGE', code: 'MIN', description: 'Outbound minutes', quantity: 10_000, unitAmountMicros: 18_800, amount: USD(18_800) }],
      subtotal: USD(18_800),
      tax: USD(3_760),
      total: USD(22_560),
    };
    const text = pdfText(await renderInvoicePdf(usd, { ...parties, locale: 'en' }, { compress: false }));
    expect(text).toContain('$0.0188');
    expect(text).toContain('$188.00');
    expect(text).toContain('$225.60');
  });

  it('continues long invoices on further pages, totals after the last line', async () => {
    const lines = Array.from({ length: 90 }, (_, i) => ({ ...invoice.lines[1]!, description: `Kullanım satırı ${i + 1}` }));
    const pdf = await renderInvoicePdf({ ...invoice, lines }, parties, { compress: false });
    expect(pageCount(pdf)).toBeGreaterThan(1);
    const text = pdfText(pdf);
    expect(text).toContain('Sayfa 2');
    expect(text.indexOf('Kullanım satırı 90')).toBeGreaterThan(text.indexOf('Kullanım satırı 1\n'));
    expect(text.indexOf('Genel Toplam')).toBeGreaterThan(text.indexOf('Kullanım satırı 90'));
  });

  it('renders names in any script the font covers without throwing', async () => {
    const pdf = await renderInvoicePdf(invoice, { ...parties, customer: { name: 'ĞÜŞİÖÇ ğüşıöç — Ωmega Кириллица €' } }, { compress: false });
    expect(pdfText(pdf)).toContain('ĞÜŞİÖÇ ğüşıöç — Ωmega Кириллица €');
  });
});

describe('formatUnitPrice', () => {
  it('keeps every micro of a unit price, at least the minor digits, in the locale', () => {
    expect(formatUnitPrice(18_800, 'USD', 'en')).toBe('$0.0188');
    expect(formatUnitPrice(18_800, 'USD', 'tr')).toBe('0,0188 $');
    expect(formatUnitPrice(1_200_000_000, 'TRY', 'tr')).toBe('1.200,00 ₺');
    expect(formatUnitPrice(1_234_567_890_123_456, 'TRY', 'en')).toBe('₺1,234,567,890.123456');
    expect(formatUnitPrice(-1, 'USD', 'en')).toBe('-$0.000001');
  });
});
