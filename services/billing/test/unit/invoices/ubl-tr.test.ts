import { describe, expect, it } from 'vitest';
import { buildUblTrInvoice, ublProfile, type InvoiceForUbl, type UblOptions } from '../../../src/invoices/ubl-tr.ts';
import { validateUblInvoice } from '../../support/ubl-schema.ts';

const money = (amountMinor: number, currency = 'TRY') => ({ amountMinor, currency });

const corporate = {
  customerType: 'CORPORATE',
  legalName: 'Çağrı Şişli İletişim Hizmetleri Ltd. Şti.',
  taxId: '4840847211',
  taxOffice: 'Mecidiyeköy',
  nationalId: null,
  address: { line1: 'Halaskargazi Cad. No: 12', line2: null, district: 'Şişli', city: 'İstanbul', postalCode: '34371', country: 'Türkiye' },
};

const tryInvoice: InvoiceForUbl = {
  organizationId: '65f000000000000000000001',
  number: 'OMR2026000000042',
  ettn: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
  currency: 'TRY',
  customer: { name: corporate.legalName, customerCode: 'MUS-AB2C-3DEF', buyer: corporate },
  lines: [
    { kind: 'PLAN', code: 'OMNI-PRO', description: 'Omnichannel Pro — aylık abonelik', quantity: 1, unitAmountMicros: 1_200_000_000, amount: money(120_000) },
    { kind: 'USAGE', code: 'MINUTES', description: 'Çağrı dakikası', quantity: 1234.5, unitAmountMicros: 18_800, amount: money(2_321) },
  ],
  subtotal: money(122_321),
  taxRateBasisPoints: 2000,
  tax: money(24_464),
  total: money(146_785),
  issuedAt: new Date('2026-11-02T21:30:00Z'), // 3 November, 00:30 in Istanbul
  dueAt: new Date('2026-11-11T21:00:00Z'),
  exchangeRate: null,
};

const usd = (amountMinor: number) => money(amountMinor, 'USD');
const person = { customerType: 'INDIVIDUAL', legalName: 'Ayşe Nur Yılmaz', taxId: null, taxOffice: null, nationalId: '10000000146', address: { line1: 'Moda Cad. 5', line2: 'D:3', district: 'Kadıköy', city: 'İstanbul', postalCode: null, country: 'Türkiye' } };
const usdInvoice: InvoiceForUbl = {
  ...tryInvoice,
  number: 'OMR2026000000043',
  ettn: '0b8e2a5c-9d7e-4f39-8a61-3f2d1c0b9a87',
  currency: 'USD',
  customer: { name: person.legalName, customerCode: null, buyer: person },
  lines: [
    { kind: 'PLAN', code: 'STARTER', description: 'Starter, yearly', quantity: 1, unitAmountMicros: 1_000_000_000, amount: usd(100_000) },
    { kind: 'STAMP_DUTY', code: 'STAMP_DUTY', description: "Stamp duty, customer's share: 0.4737 % of $1,000.00", quantity: 1, unitAmountMicros: 4_740_000, amount: usd(474) },
    { kind: 'PREPAID_APPLIED', code: 'MINUTES', description: 'Paid from the prepaid balance (MINUTES)', quantity: 1, unitAmountMicros: -10_000_000, amount: usd(-1_000) },
  ],
  subtotal: usd(100_474),
  tax: usd(20_095),
  total: usd(119_569),
  exchangeRate: { rate: '41.2500', source: 'sandbox', at: new Date('2026-11-02T21:30:00Z') },
};

const options: UblOptions = {
  seller: { name: 'Omurga Yazılım A.Ş.', taxId: '1234567890', taxOffice: 'Zincirlikuyu', address: 'Büyükdere Cad. No:1', district: 'Şişli', city: 'İstanbul' },
  companyProfile: 'TEMELFATURA',
};

const text = (xml: string, element: string) => [...xml.matchAll(new RegExp(`<${element}(?: [^>]*)?>([^<]*)</${element}>`, 'g'))].map((m) => m[1]);

describe('UBL-TR 1.2 invoice (issue 15, VUK art. 230)', () => {
  it('a TRY invoice to a company is a valid UBL 2.1 Invoice in the e-Fatura profile with the buyer identity, ETTN and KDV subtotal', async () => {
    const xml = buildUblTrInvoice(tryInvoice, options);
    const result = await validateUblInvoice(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(text(xml, 'cbc:ProfileID')).toEqual(['TEMELFATURA']);
    expect(text(xml, 'cbc:CustomizationID')).toEqual(['TR1.2']);
    expect(text(xml, 'cbc:InvoiceTypeCode')).toEqual(['SATIS']);
    expect(text(xml, 'cbc:UUID')).toEqual([tryInvoice.ettn]);
    expect(text(xml, 'cbc:IssueDate')).toEqual(['2026-11-03']);
    expect(xml).toContain('<cbc:ID schemeID="VKN">4840847211</cbc:ID>');
    expect(xml).toContain('<cbc:ID schemeID="VKN">1234567890</cbc:ID>');
    expect(text(xml, 'cbc:Name')).toEqual(expect.arrayContaining(['Mecidiyeköy', 'Zincirlikuyu', corporate.legalName]));
    expect(text(xml, 'cbc:StreetName')).toContain('Halaskargazi Cad. No: 12');
    expect(text(xml, 'cbc:CitySubdivisionName')).toContain('Şişli');
    expect(text(xml, 'cbc:PostalZone')).toEqual(['34371']);
    expect(text(xml, 'cbc:TaxTypeCode')).toEqual(['0015']);
    expect(text(xml, 'cbc:Percent')).toEqual(['20']);
    expect(text(xml, 'cbc:TaxableAmount')).toEqual(['1223.21']);
    expect(text(xml, 'cbc:PayableAmount')).toEqual(['1467.85']);
    expect(text(xml, 'cbc:PriceAmount')).toEqual(['1200.00', '0.0188']);
    expect(xml).not.toContain('PricingExchangeRate');
  });

  it('TICARIFATURA when configured for companies; e-Arşiv for a person, named by TCKN', () => {
    expect(text(buildUblTrInvoice(tryInvoice, { ...options, companyProfile: 'TICARIFATURA' }), 'cbc:ProfileID')).toEqual(['TICARIFATURA']);
    expect(ublProfile(person, 'TICARIFATURA')).toBe('EARSIVFATURA');
    expect(ublProfile(null, 'TEMELFATURA')).toBe('EARSIVFATURA');
  });

  it('a USD invoice with stamp duty is valid, carries the stored exchange rate, the duty as a charge and the prepaid credit', async () => {
    const xml = buildUblTrInvoice(usdInvoice, options);
    const result = await validateUblInvoice(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(text(xml, 'cbc:ProfileID')).toEqual(['EARSIVFATURA']);
    expect(xml).toContain('<cbc:ID schemeID="TCKN">10000000146</cbc:ID>');
    expect(text(xml, 'cbc:FirstName')).toEqual(['Ayşe Nur']);
    expect(text(xml, 'cbc:FamilyName')).toEqual(['Yılmaz']);
    expect(text(xml, 'cbc:DocumentCurrencyCode')).toEqual(['USD']);
    expect(text(xml, 'cbc:CalculationRate')).toEqual(['41.2500']);
    expect(text(xml, 'cbc:TargetCurrencyCode')).toEqual(['TRY']);
    expect(text(xml, 'cbc:ChargeTotalAmount')).toEqual(['4.74']);
    expect(text(xml, 'cbc:LineExtensionAmount')).toEqual(['1000.00', '1000.00']);
    expect(text(xml, 'cbc:TaxExclusiveAmount')).toEqual(['1004.74']);
    expect(text(xml, 'cbc:PrepaidAmount')).toEqual(['10.00']);
    expect(text(xml, 'cbc:PayableAmount')).toEqual(['1195.69']);
    expect(text(xml, 'cbc:LineCountNumeric')).toEqual(['1']);
    expect(xml).toMatch(/<cbc:PayableAmount currencyID="USD">/);
  });

  it('the schema check rejects a document that breaks UBL 2.1 (the test can fail)', async () => {
    const broken = buildUblTrInvoice(tryInvoice, options).replace(/<cbc:IssueDate>[^<]*<\/cbc:IssueDate>/, '');
    expect((await validateUblInvoice(broken)).valid).toBe(false);
  });

  it('an invoice in foreign currency without a stored rate is refused', () => {
    expect(() => buildUblTrInvoice({ ...usdInvoice, exchangeRate: null }, options)).toThrow(/exchange rate/);
  });
});
