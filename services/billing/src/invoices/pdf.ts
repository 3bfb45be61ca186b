import { readFileSync } from 'node:fs';
import type { Locale } from '@omurga/shared';
import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import type { InvoiceDoc, InvoiceLine, InvoiceStatus } from '../models/index.ts';
import { buyerIdentifier, formatBuyerAddress, type InvoiceBuyer } from './buyer.ts';
import { formatMoney, isSupportedCurrency, MINOR_DIGITS } from '../money.ts';

/**
 * The downloadable invoice (BIL-8): seller, customer, lines, subtotal, KDV and
 * total, in the reader's language. Not an e-Fatura / e-Arşiv document (that
 * is UBL-TR XML); a human-readable copy of the invoice record.
 */

/** What the PDF shows of an invoice (an InvoiceDoc is one). */
export type InvoiceForPdf = Pick<
  InvoiceDoc,
  'number' | 'status' | 'currency' | 'subtotal' | 'taxRateBasisPoints' | 'tax' | 'total' | 'issuedAt' | 'dueAt' | 'paidAt'
> & { lines: readonly InvoiceLine[] };

export interface InvoiceParties {
  seller: { name: string; taxOffice: string; taxId: string; address: string };
  customer: { name: string; customerCode?: string | null; buyer?: InvoiceBuyer | null };
  locale: Locale;
  /** a credit note (iade faturası, issue 15): titled so, naming the invoice it reverses instead of a due date and status */
  returnOf?: { number: string; issuedAt: Date };
}

export interface RenderInvoiceOptions {
  /** false leaves the content streams readable (tests look for text in them) */
  compress?: boolean;
}

// The standard PDF fonts have no ğ ş ı İ or ₺, so a TrueType font is
// embedded (pdfkit embeds only the glyphs used). Licence beside the file.
const FONT_FILE = new URL('../../assets/DejaVuSans.ttf', import.meta.url);
const FONT = 'DejaVuSans';
let fontData: Buffer | undefined;
const fontBytes = () => (fontData ??= readFileSync(FONT_FILE));

const ZONE = 'Europe/Istanbul';
const LANGUAGE_TAG: Record<Locale, string> = { tr: 'tr-TR', en: 'en-GB' };

const LABELS = {
  tr: {
    number: 'Fatura No',
    issuedAt: 'Fatura Tarihi',
    dueAt: 'Son Ödeme Tarihi',
    paidAt: 'Ödeme Tarihi',
    status: 'Durum',
    customer: 'Sayın',
    customerCode: 'Müşteri Kodu',
    taxOffice: 'Vergi Dairesi',
    taxId: 'VKN',
    nationalId: 'TCKN',
    description: 'Açıklama',
    quantity: 'Miktar',
    unitPrice: 'Birim Fiyat',
    amount: 'Tutar',
    subtotal: 'Ara Toplam',
    tax: (rate: string) => `KDV (%${rate})`,
    total: 'Genel Toplam',
    page: (n: number) => `Sayfa ${n}`,
    returnOf: 'İade Edilen Fatura',
  },
  en: {
    number: 'Invoice No',
    issuedAt: 'Issue date',
    dueAt: 'Due date',
    paidAt: 'Paid on',
    status: 'Status',
    customer: 'Bill to',
    customerCode: 'Customer code',
    taxOffice: 'Tax office',
    taxId: 'Tax ID (VKN)',
    nationalId: 'National ID (TCKN)',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    amount: 'Amount',
    subtotal: 'Subtotal',
    tax: (rate: string) => `VAT (KDV ${rate}%)`,
    total: 'Total',
    page: (n: number) => `Page ${n}`,
    returnOf: 'Credited invoice',
  },
} as const;

const STATUS_LABELS: Record<Locale, Record<InvoiceStatus, string>> = {
  tr: { DRAFT: 'Taslak', OPEN: 'Ödenmedi', PAID: 'Ödendi', VOID: 'İptal edildi', UNCOLLECTIBLE: 'Tahsil edilemedi' },
  en: { DRAFT: 'Draft', OPEN: 'Unpaid', PAID: 'Paid', VOID: 'Void', UNCOLLECTIBLE: 'Uncollectible' },
};

// ---- formatting (exact: amounts go to Intl as decimal strings, never as floats)

/** An integer count of 10^-scale units as a decimal string: (-123456n, 2) → "-1234.56". */
function decimalString(units: bigint, scale: number): `${number}` {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}` as `${number}`;
}

/**
 * A unit price in millionths of the major unit, keeping sub-cent precision,
 * written like formatMoney writes amounts: '0,0188 $' (tr), '$0.0188' (en).
 */
export function formatUnitPrice(amountMicros: number, currency: string, locale: Locale): string {
  const minorDigits = isSupportedCurrency(currency) ? MINOR_DIGITS[currency] : 2;
  const format = new Intl.NumberFormat(locale === 'tr' ? 'tr-TR' : 'en-US', {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: minorDigits,
    maximumFractionDigits: 6,
  });
  const value = decimalString(BigInt(amountMicros), 6);
  if (locale === 'en') return format.format(value);
  const parts = format.formatToParts(value);
  const symbol = parts.find((part) => part.type === 'currency')?.value ?? currency;
  const amount = parts
    .filter((part) => part.type !== 'currency' && part.type !== 'literal')
    .map((part) => part.value)
    .join('');
  return `${amount} ${symbol}`;
}

function formatQuantity(quantity: number, locale: Locale): string {
  return new Intl.NumberFormat(LANGUAGE_TAG[locale], { maximumFractionDigits: 6 }).format(quantity);
}

function formatRate(basisPoints: number, locale: Locale): string {
  return new Intl.NumberFormat(LANGUAGE_TAG[locale], { maximumFractionDigits: 2 }).format(basisPoints / 100);
}

function formatDateTime(date: Date, locale: Locale): string {
  return DateTime.fromJSDate(date, { zone: ZONE }).setLocale(LANGUAGE_TAG[locale]).toFormat('dd LLL yyyy HH:mm');
}

/**
 * The day a payment is due. Business-day deadlines end at midnight Istanbul
 * (00:00 of the next day), which is the end of the previous day to a reader.
 */
function formatDeadlineDay(date: Date, locale: Locale): string {
  let day = DateTime.fromJSDate(date, { zone: ZONE });
  if (day.toMillis() === day.startOf('day').toMillis()) day = day.minus({ milliseconds: 1 });
  return day.setLocale(LANGUAGE_TAG[locale]).toFormat('dd LLL yyyy');
}

// ---- layout (A4 in points)

const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const RIGHT = PAGE.width - PAGE.margin;
const COLUMNS = {
  description: { x: PAGE.margin, width: 235 },
  quantity: { x: 290, width: 60 },
  unitPrice: { x: 355, width: 90 },
  amount: { x: 450, width: RIGHT - 450 },
};
const TEXT_SIZE = 9;
const GREY = '#555555';
const RULE = '#BBBBBB';

type Doc = PDFKit.PDFDocument;

/** Text at (x, y); `strong` makes it heavier without a second font file by filling and outlining the glyphs. */
function write(doc: Doc, text: string, x: number, y: number, options: PDFKit.Mixins.TextOptions = {}, strong = false): void {
  if (!strong) {
    doc.text(text, x, y, options);
    return;
  }
  doc.save().lineWidth(0.35).strokeColor('black').text(text, x, y, { ...options, fill: true, stroke: true }).restore();
}

function header(doc: Doc, invoice: InvoiceForPdf, parties: InvoiceParties): number {
  const l = LABELS[parties.locale];
  const { seller, customer } = parties;
  doc.fillColor('black').fontSize(14);
  write(doc, seller.name, PAGE.margin, PAGE.margin, { width: 260 }, true);
  doc.fontSize(TEXT_SIZE).fillColor(GREY);
  doc.text(seller.address, PAGE.margin, doc.y + 4, { width: 260 });
  doc.text(`${l.taxOffice}: ${seller.taxOffice}`, { width: 260 });
  doc.text(`${l.taxId}: ${seller.taxId}`, { width: 260 });
  const sellerBottom = doc.y;

  doc.fillColor('black').fontSize(16);
  const { returnOf } = parties;
  write(doc, returnOf ? 'İADE FATURASI / CREDIT NOTE' : 'FATURA / INVOICE', 320, PAGE.margin, { width: RIGHT - 320, align: 'right' }, true);
  let y = PAGE.margin + 28;
  const meta: [string, string][] = returnOf
    ? [
        [l.number, invoice.number],
        [l.issuedAt, formatDateTime(invoice.issuedAt, parties.locale)],
        [l.returnOf, `${returnOf.number} (${formatDeadlineDay(returnOf.issuedAt, parties.locale)})`],
      ]
    : [
        [l.number, invoice.number],
        [l.issuedAt, formatDateTime(invoice.issuedAt, parties.locale)],
        [l.dueAt, formatDeadlineDay(invoice.dueAt, parties.locale)],
        ...(invoice.paidAt ? ([[l.paidAt, formatDateTime(invoice.paidAt, parties.locale)]] as [string, string][]) : []),
        [l.status, STATUS_LABELS[parties.locale][invoice.status]],
      ];
  doc.fontSize(TEXT_SIZE);
  for (const [label, value] of meta) {
    doc.fillColor(GREY).text(label, 320, y, { width: 95 });
    doc.fillColor('black').text(value, 415, y, { width: RIGHT - 415, align: 'right' });
    y += 14;
  }

  y = Math.max(sellerBottom, y) + 20;
  doc.fillColor(GREY).fontSize(TEXT_SIZE).text(l.customer, PAGE.margin, y);
  doc.fillColor('black').fontSize(11);
  write(doc, customer.name, PAGE.margin, doc.y + 2, { width: 300 }, true);
  doc.fontSize(TEXT_SIZE);
  doc.fillColor(GREY);
  const buyer = customer.buyer;
  // VUK art. 230: the buyer's address, tax office and VKN (or TCKN), as frozen at issue.
  const address = formatBuyerAddress(buyer?.address);
  if (address) doc.text(address, PAGE.margin, doc.y + 2, { width: 300 });
  const id = buyer && buyerIdentifier(buyer);
  if (buyer?.taxOffice) doc.text(`${l.taxOffice}: ${buyer.taxOffice}`, PAGE.margin, doc.y + 2);
  if (id) doc.text(`${id.scheme === 'VKN' ? l.taxId : l.nationalId}: ${id.value}`, PAGE.margin, doc.y + 2);
  if (customer.customerCode) doc.text(`${l.customerCode}: ${customer.customerCode}`, PAGE.margin, doc.y + 2);
  return doc.y + 20;
}

function tableHeader(doc: Doc, locale: Locale, y: number): number {
  const l = LABELS[locale];
  doc.rect(PAGE.margin, y - 4, RIGHT - PAGE.margin, 18).fill('#EEEEEE');
  doc.fillColor('black').fontSize(TEXT_SIZE);
  doc.text(l.description, COLUMNS.description.x + 4, y, { width: COLUMNS.description.width - 4 });
  doc.text(l.quantity, COLUMNS.quantity.x, y, { width: COLUMNS.quantity.width, align: 'right' });
  doc.text(l.unitPrice, COLUMNS.unitPrice.x, y, { width: COLUMNS.unitPrice.width, align: 'right' });
  doc.text(l.amount, COLUMNS.amount.x, y, { width: COLUMNS.amount.width - 4, align: 'right' });
  return y + 22;
}

function newPage(doc: Doc, locale: Locale, pageNumber: number): number {
  doc.addPage({ size: 'A4', margin: PAGE.margin });
  doc.fontSize(TEXT_SIZE).fillColor(GREY).text(LABELS[locale].page(pageNumber), PAGE.margin, PAGE.margin, { width: RIGHT - PAGE.margin, align: 'right' });
  return PAGE.margin + 24;
}

export async function renderInvoicePdf(invoice: InvoiceForPdf, parties: InvoiceParties, options: RenderInvoiceOptions = {}): Promise<Buffer> {
  const { locale } = parties;
  const l = LABELS[locale];
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    compress: options.compress ?? true,
    lang: locale,
    info: {
      Title: invoice.number,
      Author: parties.seller.name,
      Subject: parties.returnOf ? 'İade Faturası / Credit note' : 'Fatura / Invoice',
      Creator: 'Omurga',
      Producer: 'Omurga',
      CreationDate: invoice.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont(FONT, fontBytes());
  doc.font(FONT);

  let pageNumber = 1;
  let y = tableHeader(doc, locale, header(doc, invoice, parties));
  const bottom = PAGE.height - PAGE.margin;
  for (const line of invoice.lines) {
    doc.fontSize(TEXT_SIZE);
    const height = doc.heightOfString(line.description, { width: COLUMNS.description.width - 4 });
    if (y + height > bottom) y = tableHeader(doc, locale, newPage(doc, locale, ++pageNumber));
    doc.fillColor('black');
    doc.text(line.description, COLUMNS.description.x + 4, y, { width: COLUMNS.description.width - 4 });
    doc.text(formatQuantity(line.quantity, locale), COLUMNS.quantity.x, y, { width: COLUMNS.quantity.width, align: 'right' });
    doc.text(formatUnitPrice(line.unitAmountMicros, invoice.currency, locale), COLUMNS.unitPrice.x, y, {
      width: COLUMNS.unitPrice.width,
      align: 'right',
    });
    doc.text(formatMoney(line.amount, locale), COLUMNS.amount.x, y, { width: COLUMNS.amount.width - 4, align: 'right' });
    y += height + 6;
    doc.moveTo(PAGE.margin, y - 3).lineTo(RIGHT, y - 3).lineWidth(0.5).strokeColor(RULE).stroke();
  }

  const totals: [string, string][] = [
    [l.subtotal, formatMoney(invoice.subtotal, locale)],
    [l.tax(formatRate(invoice.taxRateBasisPoints, locale)), formatMoney(invoice.tax, locale)],
    [l.total, formatMoney(invoice.total, locale)],
  ];
  if (y + 16 * totals.length + 10 > bottom) y = newPage(doc, locale, ++pageNumber);
  y += 10;
  for (const [index, [label, value]] of totals.entries()) {
    const last = index === totals.length - 1;
    doc.fillColor('black').fontSize(last ? 11 : TEXT_SIZE);
    write(doc, label, 300, y, { width: 145, align: 'right' }, last);
    write(doc, value, COLUMNS.amount.x, y, { width: COLUMNS.amount.width - 4, align: 'right' }, last);
    y += last ? 18 : 15;
  }

  doc.end();
  return finished;
}

/** The `render` of the PDF route: the seller from configuration, the buyer as frozen on the invoice at issue. */
export function invoicePdfRenderer(
  seller: InvoiceParties['seller'],
): (invoice: InvoiceForPdf & { organizationId: string; customer?: InvoiceParties['customer'] | null }, locale: Locale) => Promise<Buffer> {
  return (invoice, locale) =>
    renderInvoicePdf(invoice, { seller, customer: invoice.customer ?? { name: invoice.organizationId, customerCode: null }, locale });
}

/** The credit note's PDF (issue 15): the invoice layout, titled as a credit note and naming the invoice it reverses. */
export function creditNotePdfRenderer(
  seller: InvoiceParties['seller'],
): (note: Omit<InvoiceForPdf, 'status' | 'dueAt' | 'paidAt'> & { organizationId: string; invoiceNumber: string; invoiceIssuedAt: Date; customer?: InvoiceParties['customer'] | null }, locale: Locale) => Promise<Buffer> {
  return (note, locale) =>
    renderInvoicePdf(
      { ...note, status: 'PAID', dueAt: note.issuedAt, paidAt: null },
      { seller, customer: note.customer ?? { name: note.organizationId, customerCode: null }, locale, returnOf: { number: note.invoiceNumber, issuedAt: note.invoiceIssuedAt } },
    );
}
