import { DateTime } from 'luxon';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { InvoiceDoc, InvoiceLine } from '../models/index.ts';
import { isSupportedCurrency, MINOR_DIGITS } from '../money.ts';
import { buyerIdentifier, type BuyerAddress, type InvoiceBuyer } from './buyer.ts';

/**
 * The invoice as a UBL-TR 1.2 document (GİB's customisation of OASIS UBL 2.1):
 * e-Fatura (TEMELFATURA or TICARIFATURA) when the buyer is a company with a
 * VKN, e-Arşiv (EARSIVFATURA) for everyone else. Pure: the same invoice gives
 * the same XML, so every download is the one document its ETTN names. The
 * integrator signs it (XAdES in ext:UBLExtensions) before it goes to GİB.
 */

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

export const UBL_TR_PROFILES = ['TEMELFATURA', 'TICARIFATURA', 'EARSIVFATURA'] as const;
export type UblTrProfile = (typeof UBL_TR_PROFILES)[number];
export type CompanyProfile = Exclude<UblTrProfile, 'EARSIVFATURA'>;

/** GİB tax type code of KDV (gerçek usulde katma değer vergisi). */
export const KDV_TAX_TYPE_CODE = '0015';

export interface UblSeller {
  name: string;
  taxId: string;
  taxOffice: string;
  address: string;
  district: string;
  city: string;
}

/** What the XML shows of an invoice (an InvoiceDoc is one). */
export type InvoiceForUbl = Pick<
  InvoiceDoc,
  'number' | 'currency' | 'subtotal' | 'taxRateBasisPoints' | 'tax' | 'total' | 'issuedAt' | 'dueAt' | 'ettn' | 'exchangeRate' | 'organizationId'
> & { lines: readonly InvoiceLine[]; customer?: { name: string; customerCode?: string | null; buyer?: InvoiceBuyer | null } | null };

export interface UblOptions {
  seller: UblSeller;
  /** the e-Fatura profile for companies (configuration, EINVOICE_COMPANY_PROFILE) */
  companyProfile: CompanyProfile;
  /**
   * A credit note (iade faturası, issue 15): InvoiceTypeCode IADE with a
   * BillingReference to the invoice it reverses. GİB takes returns in the
   * basic profile (TEMELFATURA) for e-Fatura users, e-Arşiv for everyone else.
   */
  returnOf?: { number: string; issuedAt: Date };
}

/** e-Fatura for buyers with a VKN (registered e-Fatura users are companies), e-Arşiv for people (TCKN) and unidentified buyers. */
export function ublProfile(buyer: InvoiceBuyer | null | undefined, companyProfile: CompanyProfile): UblTrProfile {
  return buyer && buyerIdentifier(buyer)?.scheme === 'VKN' ? companyProfile : 'EARSIVFATURA';
}

const ZONE = 'Europe/Istanbul';

/** Integer minor units as a decimal string: 123456 → "1234.56". */
function decimal(amountMinor: number, currency: string): string {
  const digits = isSupportedCurrency(currency) ? MINOR_DIGITS[currency] : 2;
  const negative = amountMinor < 0;
  const text = Math.abs(amountMinor).toString().padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${text.slice(0, text.length - digits)}${digits ? `.${text.slice(text.length - digits)}` : ''}`;
}

/** Millionths of the major unit as a decimal string without trailing zeros beyond two places. */
function microsDecimal(micros: number): string {
  const negative = micros < 0;
  const text = Math.abs(micros).toString().padStart(7, '0');
  const fraction = text.slice(-6).replace(/0{1,4}$/, '');
  return `${negative ? '-' : ''}${text.slice(0, -6)}.${fraction}`;
}

function percent(basisPoints: number): string {
  return (basisPoints / 100).toString();
}

/** A person's given and family names from one printed name (the last word is the family name). */
function personName(legalName: string): { first: string; family: string } {
  const words = legalName.trim().split(/\s+/);
  return words.length > 1 ? { first: words.slice(0, -1).join(' '), family: words.at(-1)! } : { first: legalName, family: legalName };
}

type Node = XMLBuilder;
const cbc = (parent: Node, name: string, text: string, attributes: Record<string, string> = {}) => parent.ele(NS.cbc, `cbc:${name}`, attributes).txt(text);
const cac = (parent: Node, name: string) => parent.ele(NS.cac, `cac:${name}`);
const amount = (parent: Node, name: string, amountMinor: number, currency: string) => cbc(parent, name, decimal(amountMinor, currency), { currencyID: currency });

function postalAddress(party: Node, address: { street: string | null; district: string | null; city: string | null; postalCode: string | null; country: string }) {
  const node = cac(party, 'PostalAddress');
  if (address.street) cbc(node, 'StreetName', address.street);
  // GİB requires the district (ilçe) and the city (il); an address without them says so rather than inventing one.
  cbc(node, 'CitySubdivisionName', address.district ?? '-');
  cbc(node, 'CityName', address.city ?? '-');
  if (address.postalCode) cbc(node, 'PostalZone', address.postalCode);
  cbc(cac(node, 'Country'), 'Name', address.country);
}

function taxScheme(party: Node, taxOffice: string | null) {
  // UBL-TR puts the tax office (vergi dairesi) in the party's tax scheme name.
  if (taxOffice) cbc(cac(cac(party, 'PartyTaxScheme'), 'TaxScheme'), 'Name', taxOffice);
}

function sellerParty(root: Node, seller: UblSeller) {
  const party = cac(cac(root, 'AccountingSupplierParty'), 'Party');
  cbc(cac(party, 'PartyIdentification'), 'ID', seller.taxId, { schemeID: 'VKN' });
  cbc(cac(party, 'PartyName'), 'Name', seller.name);
  postalAddress(party, { street: seller.address, district: seller.district, city: seller.city, postalCode: null, country: 'Türkiye' });
  taxScheme(party, seller.taxOffice);
}

const streetOf = (address: BuyerAddress | null) => [address?.line1, address?.line2].filter(Boolean).join(' ') || null;

function buyerParty(root: Node, invoice: InvoiceForUbl) {
  const buyer = invoice.customer?.buyer ?? null;
  const name = buyer?.legalName ?? invoice.customer?.name ?? invoice.organizationId;
  const id = buyer ? buyerIdentifier(buyer) : null;
  const party = cac(cac(root, 'AccountingCustomerParty'), 'Party');
  // e-Arşiv's stand-in for a buyer who gave no identity number (GİB: 11111111111).
  cbc(cac(party, 'PartyIdentification'), 'ID', id?.value ?? '11111111111', { schemeID: id?.scheme ?? 'TCKN' });
  if (invoice.customer?.customerCode) cbc(cac(party, 'PartyIdentification'), 'ID', invoice.customer.customerCode, { schemeID: 'MUSTERINO' });
  if (id?.scheme !== 'TCKN') cbc(cac(party, 'PartyName'), 'Name', name);
  const address = buyer?.address ?? null;
  postalAddress(party, {
    street: streetOf(address),
    district: address?.district ?? null,
    city: address?.city ?? null,
    postalCode: address?.postalCode ?? null,
    country: address?.country ?? 'Türkiye',
  });
  taxScheme(party, buyer?.taxOffice ?? null);
  if (id?.scheme === 'TCKN') {
    const person = cac(party, 'Person');
    const { first, family } = personName(name);
    cbc(person, 'FirstName', first);
    cbc(person, 'FamilyName', family);
  }
}

/** The KDV subtotals, one per rate (every line of an invoice carries its rate today, so there is one). */
export function kdvSubtotals(invoice: Pick<InvoiceForUbl, 'subtotal' | 'tax' | 'taxRateBasisPoints'>) {
  return [{ rateBasisPoints: invoice.taxRateBasisPoints, taxableMinor: invoice.subtotal.amountMinor, taxMinor: invoice.tax.amountMinor }];
}

/** Builds the UBL-TR 1.2 XML of an issued invoice. */
export function buildUblTrInvoice(invoice: InvoiceForUbl, options: UblOptions): string {
  if (!invoice.ettn) throw new Error(`invoice ${invoice.number} has no ETTN`);
  const currency = invoice.currency;
  const issued = DateTime.fromJSDate(invoice.issuedAt, { zone: ZONE });
  const profile = ublProfile(invoice.customer?.buyer, options.returnOf ? 'TEMELFATURA' : options.companyProfile);
  // Lines billed to the buyer; the stamp duty passed on is a document-level charge and the
  // prepaid credit a prepaid amount, so neither is an invoice line of its own.
  // A coupon discount is a document-level allowance (issue 15), before KDV like the lines.
  const billed = invoice.lines.filter((line) => line.kind !== 'STAMP_DUTY' && line.kind !== 'PREPAID_APPLIED' && line.kind !== 'DISCOUNT');
  const stampDuty = invoice.lines.filter((line) => line.kind === 'STAMP_DUTY');
  const discounts = invoice.lines.filter((line) => line.kind === 'DISCOUNT');
  const allowanceTotal = -discounts.reduce((sum, line) => sum + line.amount.amountMinor, 0);
  const prepaidMinor = -invoice.lines.filter((line) => line.kind === 'PREPAID_APPLIED').reduce((sum, line) => sum + line.amount.amountMinor, 0);
  const lineTotal = billed.reduce((sum, line) => sum + line.amount.amountMinor, 0);
  const chargeTotal = stampDuty.reduce((sum, line) => sum + line.amount.amountMinor, 0);

  const root = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(NS.invoice, 'Invoice')
    .att('http://www.w3.org/2000/xmlns/', 'xmlns:cac', NS.cac)
    .att('http://www.w3.org/2000/xmlns/', 'xmlns:cbc', NS.cbc);
  cbc(root, 'UBLVersionID', '2.1');
  cbc(root, 'CustomizationID', 'TR1.2');
  cbc(root, 'ProfileID', profile);
  cbc(root, 'ID', invoice.number);
  cbc(root, 'CopyIndicator', 'false');
  cbc(root, 'UUID', invoice.ettn);
  cbc(root, 'IssueDate', issued.toFormat('yyyy-MM-dd'));
  cbc(root, 'IssueTime', issued.toFormat('HH:mm:ss'));
  cbc(root, 'InvoiceTypeCode', options.returnOf ? 'IADE' : 'SATIS');
  cbc(root, 'DocumentCurrencyCode', currency);
  cbc(root, 'LineCountNumeric', String(billed.length));
  if (options.returnOf) {
    const reference = cac(cac(root, 'BillingReference'), 'InvoiceDocumentReference');
    cbc(reference, 'ID', options.returnOf.number);
    cbc(reference, 'IssueDate', DateTime.fromJSDate(options.returnOf.issuedAt, { zone: ZONE }).toFormat('yyyy-MM-dd'));
    cbc(reference, 'DocumentTypeCode', 'IADE');
  }

  // GİB wants the signer named: the seller's VKN; the integrator attaches the signature itself.
  const signature = cac(root, 'Signature');
  cbc(signature, 'ID', options.seller.taxId, { schemeID: 'VKN_TCKN' });
  cbc(cac(cac(signature, 'SignatoryParty'), 'PartyIdentification'), 'ID', options.seller.taxId, { schemeID: 'VKN' });
  cbc(cac(cac(signature, 'DigitalSignatureAttachment'), 'ExternalReference'), 'URI', `#Signature_${invoice.number}`);

  sellerParty(root, options.seller);
  buyerParty(root, invoice);

  if (!options.returnOf) {
    const paymentMeans = cac(root, 'PaymentMeans');
    cbc(paymentMeans, 'PaymentMeansCode', '1');
    cbc(paymentMeans, 'PaymentDueDate', DateTime.fromJSDate(invoice.dueAt, { zone: ZONE }).toFormat('yyyy-MM-dd'));
  }

  for (const discount of discounts) {
    const allowance = cac(root, 'AllowanceCharge');
    cbc(allowance, 'ChargeIndicator', 'false');
    cbc(allowance, 'AllowanceChargeReason', `İskonto / ${discount.description}`);
    amount(allowance, 'Amount', -discount.amount.amountMinor, currency);
  }
  for (const duty of stampDuty) {
    const charge = cac(root, 'AllowanceCharge');
    cbc(charge, 'ChargeIndicator', 'true');
    cbc(charge, 'AllowanceChargeReason', `Damga vergisi, müşteri payı / ${duty.description}`);
    amount(charge, 'Amount', duty.amount.amountMinor, currency);
  }

  if (currency !== 'TRY') {
    if (!invoice.exchangeRate) throw new Error(`invoice ${invoice.number} in ${currency} has no exchange rate`);
    const rate = cac(root, 'PricingExchangeRate');
    cbc(rate, 'SourceCurrencyCode', currency);
    cbc(rate, 'TargetCurrencyCode', 'TRY');
    cbc(rate, 'CalculationRate', invoice.exchangeRate.rate);
    cbc(rate, 'Date', DateTime.fromJSDate(invoice.exchangeRate.at, { zone: ZONE }).toFormat('yyyy-MM-dd'));
  }

  const taxTotal = cac(root, 'TaxTotal');
  amount(taxTotal, 'TaxAmount', invoice.tax.amountMinor, currency);
  for (const subtotal of kdvSubtotals(invoice)) {
    const node = cac(taxTotal, 'TaxSubtotal');
    amount(node, 'TaxableAmount', subtotal.taxableMinor, currency);
    amount(node, 'TaxAmount', subtotal.taxMinor, currency);
    cbc(node, 'Percent', percent(subtotal.rateBasisPoints));
    const scheme = cac(cac(node, 'TaxCategory'), 'TaxScheme');
    cbc(scheme, 'Name', 'KDV');
    cbc(scheme, 'TaxTypeCode', KDV_TAX_TYPE_CODE);
  }

  const totals = cac(root, 'LegalMonetaryTotal');
  amount(totals, 'LineExtensionAmount', lineTotal, currency);
  amount(totals, 'TaxExclusiveAmount', invoice.subtotal.amountMinor, currency);
  amount(totals, 'TaxInclusiveAmount', invoice.subtotal.amountMinor + invoice.tax.amountMinor, currency);
  amount(totals, 'AllowanceTotalAmount', allowanceTotal, currency);
  amount(totals, 'ChargeTotalAmount', chargeTotal, currency);
  if (prepaidMinor) amount(totals, 'PrepaidAmount', prepaidMinor, currency);
  amount(totals, 'PayableAmount', invoice.total.amountMinor, currency);

  for (const [index, line] of billed.entries()) {
    const node = cac(root, 'InvoiceLine');
    cbc(node, 'ID', String(index + 1));
    cbc(node, 'InvoicedQuantity', String(line.quantity), { unitCode: 'C62' });
    amount(node, 'LineExtensionAmount', line.amount.amountMinor, currency);
    const item = cac(node, 'Item');
    cbc(item, 'Name', line.description);
    cbc(cac(item, 'SellersItemIdentification'), 'ID', line.code);
    cbc(cac(node, 'Price'), 'PriceAmount', microsDecimal(line.unitAmountMicros), { currencyID: currency });
  }
  return root.end({ prettyPrint: true });
}

/** The configured builder of credit notes: IADE documents referring to the invoice they reverse. */
export function ublTrCreditNote(
  seller: UblSeller,
): (creditNote: Omit<InvoiceForUbl, 'dueAt' | 'exchangeRate'> & { exchangeRate?: { rate?: string | null; at?: Date | null } | null; invoiceNumber: string; invoiceIssuedAt: Date }) => string {
  return (note) =>
    buildUblTrInvoice(
      { ...note, dueAt: note.issuedAt, exchangeRate: (note.exchangeRate ?? null) as InvoiceForUbl['exchangeRate'] },
      { seller, companyProfile: 'TEMELFATURA', returnOf: { number: note.invoiceNumber, issuedAt: note.invoiceIssuedAt } },
    );
}

/** The configured builder: an invoice's XML and the profile it was built in. */
export function ublTrDocument(seller: UblSeller, companyProfile: CompanyProfile): (invoice: InvoiceForUbl) => { xml: string; profile: UblTrProfile } {
  return (invoice) => ({ xml: buildUblTrInvoice(invoice, { seller, companyProfile }), profile: ublProfile(invoice.customer?.buyer, companyProfile) });
}
