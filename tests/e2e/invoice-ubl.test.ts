// Issue 15 (first slice) end to end: a corporate customer's invoice carries its
// legal identity (VUK art. 230), and its UBL-TR 1.2 XML is downloaded through
// the gateway beside the PDF, valid against the UBL 2.1 schemas, then handed
// to the sandbox e-invoice integrator by a billing operator.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { validateUblInvoice } from '../../services/billing/test/support/ubl-schema.ts';
import { IDS, LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { START_SUBSCRIPTION, fetchInvoicePdf, secondsPolicy, waitFor } from '../support/billing.ts';
import { graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const suffix = randomUUID().slice(0, 8);

/** One long period: the subscription's first invoice is the only one. */
const POLICY = secondsPolicy(`e2e-ubl-${suffix}`, 'E2E UBL-TR policy', { billingPeriod: 'PT1H', firstInvoiceStampDutyPpm: 9_480 });
const PLAN = {
  code: `e2e-ubl-plan-${suffix}`,
  name: 'E2E UBL plan',
  policyCode: POLICY.code,
  prices: [{ currency: 'TRY', amountMinor: 1_000_00 }, { currency: 'USD', amountMinor: 100_00 }],
};
const COMPANY = {
  customerType: 'CORPORATE',
  nationalId: null,
  taxId: IDS.vkn2,
  taxOffice: 'Mecidiyeköy',
  authorityConfirmed: true,
  companyName: 'Anadolu Bilişim A.Ş.',
  billingAddress: { line1: 'Halaskargazi Cad. No: 12', district: 'Şişli', city: 'İstanbul', postalCode: '34371', country: 'TR' },
};

const INVOICE = `query($o: ID!) { organization(id: $o) { invoices(first: 5) { edges { node {
  id number total { currency } ettn ublUrl pdfUrl
  buyer { legalName customerType taxId taxOffice nationalId address }
  eInvoice { integrator profile status reference }
} } } } }`;
const SEND = `mutation($id: ID!) { sendEInvoice(invoiceId: $id) {
  invoice { id eInvoice { integrator profile status reference } } userErrors { code field }
} }`;

interface Invoice {
  id: string;
  number: string;
  total: { currency: string };
  ettn: string;
  ublUrl: string;
  pdfUrl: string;
  buyer: Record<string, string | null> | null;
}

let operatorToken: string;
let stranger: SignedUp;

async function customerWithInvoice(currency: 'TRY' | 'USD', overrides: Record<string, unknown>): Promise<{ owner: SignedUp; invoice: Invoice }> {
  const owner = await signUpAndVerify(stack, overrides);
  const started = await graphql(gw, START_SUBSCRIPTION, {
    token: owner.accessToken,
    variables: { input: { organizationId: owner.organizationId, planCode: PLAN.code, currency, paymentMethodToken: 'sandbox_ok' } },
  });
  expect(started.errors).toBeUndefined();
  expect(started.data!.startSubscription.userErrors).toEqual([]);
  const invoices = await waitFor(
    async () => {
      const response = await graphql(gw, INVOICE, { token: owner.accessToken, variables: { o: owner.organizationId } });
      expect(response.errors).toBeUndefined();
      return response.data!.organization.invoices.edges as { node: Invoice }[];
    },
    (edges) => edges!.length > 0,
    30_000,
  );
  return { owner, invoice: invoices![0]!.node };
}

const download = (url: string, token?: string) => fetchInvoicePdf(gw, url, token);

beforeAll(async () => {
  const login = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = login.data!.logIn.accessToken;
  const policy = await graphql(gw, 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { token: operatorToken, variables: { input: POLICY } });
  expect(policy.errors).toBeUndefined();
  const plan = await graphql(gw, 'mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { token: operatorToken, variables: { input: PLAN } });
  expect(plan.errors).toBeUndefined();
  stranger = await signUpAndVerify(stack);
}, 60_000);

describe('invoices in UBL-TR 1.2 through the gateway (issue 15, VUK art. 230)', () => {
  it("a corporate customer's TRY invoice carries its VKN, tax office and address; its XML validates and downloads only for the customer", async () => {
    const { owner, invoice } = await customerWithInvoice('TRY', COMPANY);
    expect(invoice.buyer).toEqual({
      legalName: COMPANY.companyName,
      customerType: 'CORPORATE',
      taxId: IDS.vkn2,
      taxOffice: 'Mecidiyeköy',
      nationalId: null,
      address: 'Halaskargazi Cad. No: 12, Şişli/İstanbul 34371, TR',
    });
    expect(invoice.ettn).toMatch(/^[0-9a-f-]{36}$/);
    expect(invoice.ublUrl).toBe(`/invoices/${invoice.id}/ubl`);

    const ubl = await download(invoice.ublUrl, owner.accessToken);
    expect(ubl.status).toBe(200);
    expect(ubl.contentType).toMatch(/^application\/xml/);
    const xml = ubl.body.toString('utf8');
    const validation = await validateUblInvoice(xml);
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(xml).toContain('<cbc:ProfileID>TEMELFATURA</cbc:ProfileID>');
    expect(xml).toContain(`<cbc:UUID>${invoice.ettn}</cbc:UUID>`);
    expect(xml).toContain(`<cbc:ID schemeID="VKN">${IDS.vkn2}</cbc:ID>`);
    expect(xml).toContain('<cbc:Name>Mecidiyeköy</cbc:Name>');
    expect(xml).toContain('<cbc:StreetName>Halaskargazi Cad. No: 12</cbc:StreetName>');
    expect(xml).toContain('<cbc:TaxTypeCode>0015</cbc:TaxTypeCode>');
    // the same document on every download
    expect((await download(invoice.ublUrl, owner.accessToken)).body.toString('utf8')).toBe(xml);

    expect((await download(invoice.ublUrl)).status).toBe(401);
    expect((await download(invoice.ublUrl, stranger.accessToken)).status).toBe(404);
    expect((await download(invoice.pdfUrl, owner.accessToken)).status).toBe(200);

    // A billing operator hands it to the (sandbox) integrator; sending again is the same document.
    const sent = await graphql(gw, SEND, { token: operatorToken, variables: { id: invoice.id } });
    expect(sent.data!.sendEInvoice.userErrors).toEqual([]);
    expect(sent.data!.sendEInvoice.invoice.eInvoice).toEqual({ integrator: 'sandbox', profile: 'TEMELFATURA', status: 'ACCEPTED', reference: `sandbox-${invoice.ettn}` });
    const again = await graphql(gw, SEND, { token: operatorToken, variables: { id: invoice.id } });
    expect(again.data!.sendEInvoice.invoice.eInvoice.reference).toBe(`sandbox-${invoice.ettn}`);
    const byCustomer = await graphql(gw, SEND, { token: owner.accessToken, variables: { id: invoice.id } });
    expect(byCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 60_000);

  it("an individual's USD invoice with stamp duty is an e-Arşiv document with the exchange rate used at issue", async () => {
    const { owner, invoice } = await customerWithInvoice('USD', {});
    expect(invoice.total.currency).toBe('USD');
    expect(invoice.buyer).toMatchObject({ customerType: 'INDIVIDUAL', nationalId: IDS.tckn, taxId: null });
    const ubl = await download(invoice.ublUrl, owner.accessToken);
    expect(ubl.status).toBe(200);
    const xml = ubl.body.toString('utf8');
    const validation = await validateUblInvoice(xml);
    expect(validation.errors).toEqual([]);
    expect(xml).toContain('<cbc:ProfileID>EARSIVFATURA</cbc:ProfileID>');
    expect(xml).toContain(`<cbc:ID schemeID="TCKN">${IDS.tckn}</cbc:ID>`);
    expect(xml).toContain('<cbc:CalculationRate>41.2500</cbc:CalculationRate>');
    expect(xml).toMatch(/<cbc:ChargeIndicator>true<\/cbc:ChargeIndicator>\s*<cbc:AllowanceChargeReason>Damga vergisi/);
    expect(xml).toContain('<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>');
  }, 60_000);
});
