// Issue 15, corrections, end to end through the gateway on the real stack: a
// partial credit note in its own number series with a UBL-TR IADE document
// valid against the UBL 2.1 schemas; a refund through the sandbox provider
// that a repeated or concurrent request never makes twice; voiding an unpaid
// invoice stops its collection. Each is a billing operator's decision
// [000 §4.9, 003 §7.4], audited, and shown on the customer's invoices.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection, type Connection } from 'mongoose';
import { refundInvoicePayment } from '../../services/billing/src/corrections/refunds.ts';
import { billingModels, type BillingModels } from '../../services/billing/src/models/index.ts';
import type { PaymentProvider } from '../../services/billing/src/payments/provider.ts';
import { createSandboxProvider, sandboxRefundModel } from '../../services/billing/src/payments/sandbox.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validateUblInvoice } from '../../services/billing/test/support/ubl-schema.ts';
import { IDS, LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { START_SUBSCRIPTION, fetchInvoicePdf, historyTypes, readSubscription, secondsPolicy, waitFor } from '../support/billing.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const suffix = randomUUID().slice(0, 8);

/** Paid at once by card, one long period: the first invoice is the only one. */
const PAID = secondsPolicy(`e2e-corr-paid-${suffix}`, 'E2E corrections, paid', { billingPeriod: 'PT1H', terminateAfter: 'PT1H' });
/** A card that keeps declining: retried every 3 s, suspended 8 s after the first failure. */
const DUNNING = secondsPolicy(`e2e-corr-dun-${suffix}`, 'E2E corrections, dunning', {
  billingPeriod: 'PT1H',
  maxCollectionAttempts: 10,
  retryInterval: 'PT3S',
  suspendAfter: 'PT8S',
  terminateAfter: 'PT1H',
});
const plan = (policyCode: string, code: string) => ({ code, name: `E2E ${code}`, policyCode, prices: [{ currency: 'TRY', amountMinor: 1_000_00 }] });
const PAID_PLAN = plan(PAID.code, `e2e-corr-paid-plan-${suffix}`);
const DUNNING_PLAN = plan(DUNNING.code, `e2e-corr-dun-plan-${suffix}`);
const COMPANY = {
  customerType: 'CORPORATE',
  nationalId: null,
  taxId: IDS.vkn2,
  taxOffice: 'Mecidiyeköy',
  authorityConfirmed: true,
  companyName: 'İade Bilişim A.Ş.',
  billingAddress: { line1: 'Halaskargazi Cad. No: 12', district: 'Şişli', city: 'İstanbul', postalCode: '34371', country: 'TR' },
};

const CORRECTION_FIELDS = `
  id number status total { amountMinor currency }
  lines { kind amount { amountMinor } }
  creditableTotal { amountMinor } refundableAmount { amountMinor }
  voided { reason by }
  payments { attempt status }
  creditNotes { id number ettn reason issuedBy subtotal { amountMinor } tax { amountMinor } total { amountMinor } lines { code amount { amountMinor } } pdfUrl ublUrl }
  refunds { id status method amount { amountMinor } reason requestedBy }`;
const INVOICES = `query($o: ID!) { organization(id: $o) { invoices(first: 5) { edges { node { ${CORRECTION_FIELDS} subscription { id } } } } } }`;
const ISSUE = `mutation($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) {
  creditNote { id number ettn subtotal { amountMinor } tax { amountMinor } total { amountMinor } ublUrl pdfUrl issuedBy }
  invoice { id creditableTotal { amountMinor } } userErrors { code field }
} }`;
const REFUND = `mutation($input: RefundInvoicePaymentInput!) { refundInvoicePayment(input: $input) {
  refund { id status method amount { amountMinor } } invoice { id refundableAmount { amountMinor } } userErrors { code field }
} }`;
const VOID = `mutation($id: ID!, $reason: String!) { voidInvoice(invoiceId: $id, reason: $reason) {
  invoice { id number status voided { reason by } } userErrors { code field }
} }`;

interface Invoice {
  id: string;
  number: string;
  status: string;
  total: { amountMinor: number; currency: string };
  lines: { kind: string; amount: { amountMinor: number } }[];
  creditableTotal: { amountMinor: number };
  refundableAmount: { amountMinor: number };
  voided: { reason: string; by: string | null } | null;
  payments: { attempt: number; status: string }[];
  creditNotes: { id: string; number: string; issuedBy: string | null; total: { amountMinor: number }; pdfUrl: string; ublUrl: string }[];
  refunds: { id: string; status: string; requestedBy: string | null }[];
  subscription: { id: string } | null;
}

let operatorToken: string;
let conn: Connection;
const key = () => `e2e-${randomUUID()}`;

async function readInvoice(owner: SignedUp): Promise<Invoice | undefined> {
  const response = await graphql(gw, INVOICES, { token: owner.accessToken, variables: { o: owner.organizationId } });
  expect(response.errors).toBeUndefined();
  return response.data!.organization.invoices.edges[0]?.node as Invoice | undefined;
}

/** A new customer subscribed on `planCode` with card `token`, once its first invoice is in `status`. */
async function customerWithInvoice(planCode: string, token: string, until: (invoice: Invoice) => boolean, overrides: Record<string, unknown> = {}) {
  const owner = await signUpAndVerify(stack, overrides);
  const started = await graphql(gw, START_SUBSCRIPTION, {
    token: owner.accessToken,
    variables: { input: { organizationId: owner.organizationId, planCode, currency: 'TRY', paymentMethodToken: token } },
  });
  expect(started.errors).toBeUndefined();
  expect(started.data!.startSubscription.userErrors).toEqual([]);
  const invoice = await waitFor(() => readInvoice(owner), (found) => found !== undefined && until(found), 30_000);
  return { owner, invoice: invoice! };
}

beforeAll(async () => {
  const login = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = login.data!.logIn.accessToken;
  for (const policy of [PAID, DUNNING]) {
    const created = await graphql(gw, 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { token: operatorToken, variables: { input: policy } });
    expect(created.errors).toBeUndefined();
  }
  for (const input of [PAID_PLAN, DUNNING_PLAN]) {
    const created = await graphql(gw, 'mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { token: operatorToken, variables: { input } });
    expect(created.errors).toBeUndefined();
  }
  conn = await createConnection(stack.env.MONGODB_URI!, { dbName: `${stack.env.MONGODB_DB_PREFIX ?? 'omurga_'}billing` }).asPromise();
}, 60_000);

afterAll(async () => {
  await conn?.close();
});

describe('credit notes (issue 15, iade faturası)', () => {
  it('a partial credit note takes its own gap-free number and downloads as an IADE UBL-TR document that validates', async () => {
    const { owner, invoice } = await customerWithInvoice(PAID_PLAN.code, 'sandbox_ok', (i) => i.status === 'PAID', COMPANY);
    expect(invoice.creditableTotal.amountMinor).toBe(invoice.total.amountMinor);
    const planLine = invoice.lines.findIndex((line) => line.kind === 'PLAN');

    const issue = (input: Record<string, unknown>, token = operatorToken) =>
      graphql(gw, ISSUE, { token, variables: { input: { invoiceId: invoice.id, reason: 'Service outage, 3 days', idempotencyKey: key(), ...input } } });

    const first = await issue({ lines: [{ index: planLine, amountMinor: 250_00 }] });
    expect(first.errors).toBeUndefined();
    expect(first.data!.issueCreditNote.userErrors).toEqual([]);
    const note = first.data!.issueCreditNote.creditNote;
    const year = new Date().getFullYear();
    expect(note.number).toMatch(new RegExp(`^IAD${year}\\d{9}$`));
    expect(note.number).not.toBe(invoice.number);
    // 250.00 net + 20 % KDV; what is left to credit is answered with it
    expect(note).toMatchObject({ subtotal: { amountMinor: 250_00 }, tax: { amountMinor: 50_00 }, total: { amountMinor: 300_00 }, issuedBy: expect.any(String) });
    expect(first.data!.issueCreditNote.invoice.creditableTotal.amountMinor).toBe(invoice.total.amountMinor - 300_00);

    // the same request again: the same note, no second number
    const again = await graphql(gw, ISSUE, { token: operatorToken, variables: { input: { invoiceId: invoice.id, reason: 'Service outage, 3 days', idempotencyKey: 'fixed-key-1', amountMinor: 10_00 } } });
    const repeat = await graphql(gw, ISSUE, { token: operatorToken, variables: { input: { invoiceId: invoice.id, reason: 'Service outage, 3 days', idempotencyKey: 'fixed-key-1', amountMinor: 10_00 } } });
    expect(repeat.data!.issueCreditNote.creditNote.number).toBe(again.data!.issueCreditNote.creditNote.number);
    // the series has no gap: the next note is the next sequence
    expect(Number(again.data!.issueCreditNote.creditNote.number.slice(7))).toBeGreaterThan(Number(note.number.slice(7)));
    const reused = await graphql(gw, ISSUE, { token: operatorToken, variables: { input: { invoiceId: invoice.id, reason: 'x', idempotencyKey: 'fixed-key-1', amountMinor: 20_00 } } });
    expect(reused.data!.issueCreditNote.userErrors).toEqual([{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['idempotencyKey'] }]);

    // never more than remains
    const tooMuch = await issue({ amountMinor: invoice.total.amountMinor });
    expect(tooMuch.data!.issueCreditNote.userErrors).toEqual([{ code: 'CREDIT_EXCEEDS_REMAINDER', field: ['amountMinor'] }]);
    // malformed input is a coded 400; customers may not issue
    const negative = await issue({ amountMinor: -5 });
    expect(negative.status).toBe(400);
    expect(errorCodes(negative)).toEqual(['BAD_USER_INPUT']);
    const badKey = await issue({ idempotencyKey: 'short' });
    expect(errorCodes(badKey)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await issue({}, owner.accessToken))).toEqual(['FORBIDDEN']);

    // the customer sees it on the invoice and downloads its XML and PDF
    const seen = (await readInvoice(owner))!;
    expect(seen.creditNotes.map((n) => n.number)).toEqual([note.number, again.data!.issueCreditNote.creditNote.number]);
    expect(seen.creditNotes[0]!.issuedBy).toBeNull();
    const ubl = await fetchInvoicePdf(gw, note.ublUrl, owner.accessToken);
    expect(ubl.status).toBe(200);
    const xml = ubl.body.toString('utf8');
    const validation = await validateUblInvoice(xml);
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(xml).toContain('<cbc:InvoiceTypeCode>IADE</cbc:InvoiceTypeCode>');
    expect(xml).toContain('<cbc:ProfileID>TEMELFATURA</cbc:ProfileID>');
    expect(xml).toContain(`<cbc:ID>${note.number}</cbc:ID>`);
    expect(xml).toContain(`<cbc:UUID>${note.ettn}</cbc:UUID>`);
    expect(xml).toMatch(new RegExp(`<cac:BillingReference>\\s*<cac:InvoiceDocumentReference>\\s*<cbc:ID>${invoice.number}</cbc:ID>`));
    expect(xml).toContain('<cbc:PayableAmount currencyID="TRY">300.00</cbc:PayableAmount>');
    const pdf = await fetchInvoicePdf(gw, note.pdfUrl, owner.accessToken);
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toBe('application/pdf');
    const stranger = await signUpAndVerify(stack);
    expect((await fetchInvoicePdf(gw, note.ublUrl, stranger.accessToken)).status).toBe(404);

    // audited: who, when, why, once however often the request came; operators read it, the customer does not
    const AUDIT = 'query($id: ID!) { invoice(id: $id) { correctionAudit { action targetId actorId actorRoles reason at } } }';
    const audit = await graphql(gw, AUDIT, { token: operatorToken, variables: { id: invoice.id } });
    expect(audit.data!.invoice.correctionAudit).toEqual([
      { action: 'CREDIT_NOTE_ISSUED', targetId: note.id, actorId: expect.any(String), actorRoles: expect.arrayContaining([expect.any(String)]), reason: 'Service outage, 3 days', at: expect.any(String) },
      expect.objectContaining({ action: 'CREDIT_NOTE_ISSUED', targetId: expect.not.stringMatching(note.id) }),
    ]);
    expect((await graphql(gw, AUDIT, { token: owner.accessToken, variables: { id: invoice.id } })).data!.invoice.correctionAudit).toEqual([]);
  }, 90_000);
});

describe('refunds through the payment provider (issue 15)', () => {
  it('a repeated request, and two concurrent ones, refund once; refunds never exceed the payment', async () => {
    const { owner, invoice } = await customerWithInvoice(PAID_PLAN.code, 'sandbox_ok', (i) => i.status === 'PAID');
    const paid = invoice.total.amountMinor;
    expect(invoice.refundableAmount.amountMinor).toBe(paid);
    const refund = (input: Record<string, unknown>, token = operatorToken) =>
      graphql(gw, REFUND, { token, variables: { input: { invoiceId: invoice.id, reason: 'Goodwill', ...input } } });
    const sandboxRefunds = (idempotencyKey: string) => conn.collection('sandbox_refunds').countDocuments({ idempotencyKey });

    // the same key twice, one after the other
    const once = key();
    const first = await refund({ amountMinor: 100_00, idempotencyKey: once });
    expect(first.errors).toBeUndefined();
    expect(first.data!.refundInvoicePayment.userErrors).toEqual([]);
    expect(first.data!.refundInvoicePayment.refund).toMatchObject({ status: 'SUCCEEDED', method: 'REFUND', amount: { amountMinor: 100_00 } });
    expect(first.data!.refundInvoicePayment.invoice.refundableAmount.amountMinor).toBe(paid - 100_00);
    const second = await refund({ amountMinor: 100_00, idempotencyKey: once });
    expect(second.data!.refundInvoicePayment.refund.id).toBe(first.data!.refundInvoicePayment.refund.id);
    expect(second.data!.refundInvoicePayment.invoice.refundableAmount.amountMinor).toBe(paid - 100_00);
    expect(await sandboxRefunds(`refund/${invoice.id}/${once}`)).toBe(1);

    // two concurrent requests with one key
    const together = key();
    const [a, b] = await Promise.all([refund({ amountMinor: 50_00, idempotencyKey: together }), refund({ amountMinor: 50_00, idempotencyKey: together })]);
    expect(a.data!.refundInvoicePayment.userErrors).toEqual([]);
    expect(b.data!.refundInvoicePayment.userErrors).toEqual([]);
    expect(a.data!.refundInvoicePayment.refund.id).toBe(b.data!.refundInvoicePayment.refund.id);
    expect([a.data!.refundInvoicePayment.refund.status, b.data!.refundInvoicePayment.refund.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await sandboxRefunds(`refund/${invoice.id}/${together}`)).toBe(1);

    // never more than was paid, even asked by two different requests at once
    const left = paid - 150_00;
    const over = await refund({ amountMinor: left + 1, idempotencyKey: key() });
    expect(over.data!.refundInvoicePayment.userErrors).toEqual([{ code: 'REFUND_EXCEEDS_PAYMENT', field: ['amountMinor'] }]);
    const [c, d] = await Promise.all([refund({ amountMinor: left, idempotencyKey: key() }), refund({ amountMinor: left, idempotencyKey: key() })]);
    const outcomes = [c, d].map((r) => r.data!.refundInvoicePayment.userErrors[0]?.code ?? r.data!.refundInvoicePayment.refund.status).sort();
    expect(outcomes).toEqual(['NOTHING_TO_REFUND', 'SUCCEEDED']);
    const after = (await readInvoice(owner))!;
    expect(after.refundableAmount.amountMinor).toBe(0);
    expect(after.refunds.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(after.refunds[0]!.requestedBy).toBeNull();
    const refundedAtProvider = await conn.collection('sandbox_refunds').find({ idempotencyKey: { $regex: `^refund/${invoice.id}/` } }).toArray();
    expect(refundedAtProvider.reduce((sum, row) => sum + (row.amount as { amountMinor: number }).amountMinor, 0)).toBe(paid);

    expect(errorCodes(await refund({ amountMinor: 0, idempotencyKey: key() }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await refund({ idempotencyKey: key() }, owner.accessToken))).toEqual(['FORBIDDEN']);
  }, 90_000);
});

describe('voiding an unpaid invoice (issue 15)', () => {
  it('stops its collection: no more charges, no suspension; its number stays, shown VOID', async () => {
    const { owner, invoice } = await customerWithInvoice(DUNNING_PLAN.code, 'sandbox_decline', (i) => i.payments.some((p) => p.status === 'DECLINED'));
    expect(invoice.status).toBe('OPEN');
    const voidIt = (token = operatorToken) => graphql(gw, VOID, { token, variables: { id: invoice.id, reason: 'Billed in error' } });
    expect(errorCodes(await voidIt(owner.accessToken))).toEqual(['FORBIDDEN']);

    // a retry may be charging at this very moment: then the operator is told to wait
    const voided = await waitFor(voidIt, (r) => r.data!.voidInvoice.userErrors[0]?.code !== 'PAYMENT_IN_PROGRESS', 10_000, 200);
    expect(voided.data!.voidInvoice.userErrors).toEqual([]);
    expect(voided.data!.voidInvoice.invoice).toMatchObject({ id: invoice.id, number: invoice.number, status: 'VOID', voided: { reason: 'Billed in error', by: expect.any(String) } });
    const attempts = (await readInvoice(owner))!.payments.length;

    // past two retry intervals and the suspension deadline: nothing more happens to it
    await sleep(9_000);
    const later = (await readInvoice(owner))!;
    expect(later).toMatchObject({ status: 'VOID', number: invoice.number, voided: { reason: 'Billed in error', by: null } });
    expect(later.payments.length).toBe(attempts);
    const subscription = await readSubscription(gw, owner.accessToken, invoice.subscription!.id);
    expect(subscription!.status).toBe('ACTIVE');
    expect(historyTypes(subscription)).toContain('INVOICE_VOIDED');
    expect(historyTypes(subscription)).not.toContain('SUSPENDED');

    // voiding again answers the same state; a malformed id is a coded 400
    expect((await voidIt()).data!.voidInvoice.invoice.status).toBe('VOID');
    const bad = await graphql(gw, VOID, { token: operatorToken, variables: { id: 'not-an-id', reason: 'x' } });
    expect(bad.status).toBe(400);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    const audit = await conn.collection('billing_audit_entries').find({ action: 'INVOICE_VOIDED', targetId: invoice.id }).toArray();
    expect(audit).toHaveLength(1);
  }, 90_000);
});

describe('refunds whose answer is lost (issue 15)', () => {
  let db: Connection;
  let models: BillingModels;
  let sandbox: PaymentProvider;
  const actor = { actorId: 'op-1', actorRoles: ['BILLING_ADMIN'] };

  beforeAll(async () => {
    db = await createConnection(stack.env.MONGODB_URI!, { dbName: `billing_refunds_test_${suffix}` }).asPromise();
    models = billingModels(db);
    await Promise.all([...Object.values(models).map((model) => model.init()), sandboxRefundModel(db).init()]);
    sandbox = createSandboxProvider(db);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });

  /** A 120.00 TRY invoice paid by a sandbox card charge. */
  async function paidInvoice() {
    const organizationId = `org_${randomUUID()}`;
    const now = new Date();
    const money = (amountMinor: number) => ({ amountMinor, currency: 'TRY' });
    const invoice = await models.Invoice.create({
      organizationId, key: `test/${organizationId}`, series: 'TST2026', sequence: Math.floor(Math.random() * 1e8) + 1, number: `T${randomUUID()}`,
      status: 'PAID', currency: 'TRY', lines: [], subtotal: money(10_000), taxRateBasisPoints: 2_000, tax: money(2_000), total: money(12_000),
      collectionMethod: 'CARD_AUTO', issuedAt: now, dueAt: now, paidAt: now,
    });
    const charged = await sandbox.charge({ token: 'sandbox_ok', amount: money(12_000), idempotencyKey: `${invoice._id}/attempt/1`, description: 'test', customerId: organizationId });
    if (charged.status !== 'SUCCEEDED') throw new Error('sandbox did not charge');
    await models.PaymentAttempt.create({
      invoiceId: invoice._id, organizationId, attempt: 1, idempotencyKey: `${invoice._id}/attempt/1`, provider: 'sandbox',
      amount: money(12_000), status: 'SUCCEEDED', providerPaymentId: charged.providerPaymentId, settledAt: now,
    });
    return String(invoice._id);
  }

  it('a provider that refunded but failed to answer leaves the refund UNKNOWN and held; the same request completes it, refunded once', async () => {
    const invoiceId = await paidInvoice();
    const broken: PaymentProvider = {
      ...sandbox,
      async refund(request) {
        await sandbox.refund(request);
        throw new Error('socket hang up');
      },
    };
    const input = { invoiceId, amountMinor: 5_000, reason: 'Goodwill', idempotencyKey: 'lost-answer-1' };
    const lost = await refundInvoicePayment({ models, provider: broken, timeoutMs: 2_000 }, input, actor);
    expect(lost).toMatchObject({ ok: true, refund: { status: 'UNKNOWN' } });
    // the amount stays held: nothing beyond the rest of the payment can be asked meanwhile
    expect(await refundInvoicePayment({ models, provider: sandbox, timeoutMs: 2_000 }, { ...input, amountMinor: 7_001, idempotencyKey: 'other-1' }, actor)).toMatchObject({ ok: false, code: 'REFUND_EXCEEDS_PAYMENT' });

    const again = await refundInvoicePayment({ models, provider: sandbox, timeoutMs: 2_000 }, input, actor);
    expect(again).toMatchObject({ ok: true, refund: { status: 'SUCCEEDED', method: 'REFUND' } });
    if (!again.ok || !lost.ok) return;
    expect(String(again.refund._id)).toBe(String(lost.refund._id));
    expect(await sandboxRefundModel(db).countDocuments({ idempotencyKey: `refund/${invoiceId}/lost-answer-1` })).toBe(1);
  });

  it('a refused refund releases its hold', async () => {
    const invoiceId = await paidInvoice();
    const refusing: PaymentProvider = { ...sandbox, refund: async () => ({ status: 'FAILED', failureCode: 'bank_refused' }) };
    const refused = await refundInvoicePayment({ models, provider: refusing, timeoutMs: 2_000 }, { invoiceId, reason: 'x', idempotencyKey: 'refused-1' }, actor);
    expect(refused).toMatchObject({ ok: true, refund: { status: 'FAILED', failureCode: 'bank_refused', amount: { amountMinor: 12_000 } } });
    const whole = await refundInvoicePayment({ models, provider: sandbox, timeoutMs: 2_000 }, { invoiceId, reason: 'x', idempotencyKey: 'whole-1' }, actor);
    expect(whole).toMatchObject({ ok: true, refund: { status: 'SUCCEEDED', amount: { amountMinor: 12_000 } } });
    const audit = await models.BillingAudit.find({ invoiceId }).sort({ _id: 1 }).lean();
    expect(audit.map((entry) => entry.action)).toEqual(['REFUND_FAILED', 'REFUND_SUCCEEDED']);
  });
});
