// Issue 4 (billing) end to end: an operator's seconds-long contract policy,
// and subscriptions paid with the sandbox tokens living through it, over real
// HTTP through the gateway, on the real Temporal dev server, the real database
// and real SMTP into the mail catcher. The three card scenarios run side by
// side on the server from beforeAll; each test waits for its own outcome.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { AUTH_FIELDS, LOG_IN, clientIp, currentDocumentIds, signUpAndVerify, tokenFromEmail, uniqueEmail, type SignedUp } from '../support/accounts.ts';
import {
  CANCEL_SUBSCRIPTION,
  SET_PAYMENT_METHOD,
  START_SUBSCRIPTION,
  fetchInvoicePdf,
  historyTypes,
  inOrder,
  readInvoices,
  readOrganizationStatus,
  readSubscription,
  secondsPolicy,
  waitFor,
  type Subscription,
} from '../support/billing.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { waitForEmail } from '../support/mail-catcher.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const suffix = randomUUID().slice(0, 8);

/** Seconds instead of months, so a whole life fits in a test run. */
const POLICY = secondsPolicy(`e2e-seconds-${suffix}`, 'E2E seconds policy');
const PRICE_MINOR = 250_00; // 250.00 TRY before KDV
const PLAN = { code: `e2e-plan-${suffix}`, name: 'E2E plan', policyCode: POLICY.code, prices: [{ currency: 'TRY', amountMinor: PRICE_MINOR }] };
const INVOICE_NUMBER = /^[A-Z0-9]{3}20[0-9]{2}[0-9]{9}$/;

const CREATE_POLICY = `mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) {
  id code version trialPeriod billingPeriod collectionMethod maxCollectionAttempts retryInterval suspendAfter terminateAfter
  dataDeletionAfterTermination cancellationNotice termsChangeNotice trialEndAction
} }`;
const CREATE_PLAN = 'mutation($input: PlanInput!) { createPlan(input: $input) { id code version prices { amountMinor currency } policy { code } } }';

interface Scenario {
  owner: SignedUp;
  subscription: Subscription;
}

let operatorToken: string;
let createdPolicy: Record<string, unknown>;
let createdPlan: Record<string, unknown>;
let ok: Scenario;
let decline: Scenario;
let declineOnce: Scenario;
let stranger: SignedUp;

async function logIn(email: string, password: string): Promise<string> {
  const response = await graphql(gw, LOG_IN, { variables: { email, password }, headers: { 'x-forwarded-for': clientIp() } });
  expect(response.data!.logIn.userErrors).toEqual([]);
  return response.data!.logIn.accessToken as string;
}

/** A new customer who subscribes to the plan with `token` as the card. */
async function subscribeWith(token: string): Promise<Scenario> {
  const owner = await signUpAndVerify(stack);
  const response = await graphql(gw, START_SUBSCRIPTION, {
    token: owner.accessToken,
    variables: { input: { organizationId: owner.organizationId, planCode: PLAN.code, currency: 'TRY', paymentMethodToken: token } },
  });
  expect(response.errors).toBeUndefined();
  expect(response.data!.startSubscription.userErrors).toEqual([]);
  return { owner, subscription: response.data!.startSubscription.subscription };
}

const mailTo = (address: string, subject: RegExp) => waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === address) && subject.test(m.subject));

beforeAll(async () => {
  operatorToken = await logIn(E2E_OPERATOR.email, E2E_OPERATOR.password);
  const policy = await graphql(gw, CREATE_POLICY, { token: operatorToken, variables: { input: POLICY } });
  expect(policy.errors).toBeUndefined();
  createdPolicy = policy.data!.createContractPolicy;
  const plan = await graphql(gw, CREATE_PLAN, { token: operatorToken, variables: { input: PLAN } });
  expect(plan.errors).toBeUndefined();
  createdPlan = plan.data!.createPlan;
  [ok, decline, declineOnce, stranger] = await Promise.all([
    subscribeWith('sandbox_ok'),
    subscribeWith('sandbox_decline'),
    subscribeWith('sandbox_decline_once'),
    signUpAndVerify(stack),
  ]);
}, 60_000);

describe('the catalogue through the gateway (BIL-1, SPEC §1)', () => {
  it('lets a billing operator add a contract policy and a plan on it, durations as given', () => {
    expect(createdPolicy).toEqual({
      id: expect.any(String),
      code: POLICY.code,
      version: 1,
      trialPeriod: null,
      billingPeriod: 'PT20S',
      collectionMethod: 'CARD_AUTO',
      maxCollectionAttempts: 3,
      retryInterval: 'PT2S',
      suspendAfter: 'PT5S',
      terminateAfter: 'PT10S',
      dataDeletionAfterTermination: 'PT0S',
      cancellationNotice: 'PT0S',
      termsChangeNotice: 'PT0S',
      trialEndAction: 'CONVERT',
    });
    expect(createdPlan).toEqual({ id: expect.any(String), code: PLAN.code, version: 1, prices: [{ amountMinor: PRICE_MINOR, currency: 'TRY' }], policy: { code: POLICY.code } });
  });

  it('refuses catalogue changes to customers', async () => {
    const asCustomer = await graphql(gw, CREATE_PLAN, { token: stranger.accessToken, variables: { input: { ...PLAN, code: `e2e-rogue-${suffix}` } } });
    expect(errorCodes(asCustomer)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, CREATE_POLICY, { token: stranger.accessToken, variables: { input: { ...POLICY, code: `e2e-rogue-${suffix}` } } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, '{ contractPolicies { code } }', { token: stranger.accessToken }))).toEqual(['FORBIDDEN']);
    const plans = await graphql(gw, '{ plans { code } }', { token: stranger.accessToken });
    expect(plans.data!.plans.map((p: { code: string }) => p.code)).not.toContain(`e2e-rogue-${suffix}`);
  });

  it('answers a malformed duration with BAD_USER_INPUT naming the field, and no stack trace', async () => {
    const response = await graphql(gw, CREATE_POLICY, { token: operatorToken, variables: { input: { ...POLICY, code: `e2e-bad-${suffix}`, retryInterval: 'two days' } } });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain('retryInterval');
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|\.ts:\d+|\n\s+at /);
    const policies = await graphql(gw, '{ contractPolicies { code } }', { token: operatorToken });
    expect(policies.data!.contractPolicies.map((p: { code: string }) => p.code)).not.toContain(`e2e-bad-${suffix}`);
  });
});

describe('card collection and dunning on the real stack (BIL-5, BIL-6)', () => {
  it('sandbox_decline_once: the first charge fails, the scheduled retry pays; PAST_DUE then ACTIVE, never suspended', async () => {
    const { owner, subscription } = declineOnce;
    const recovered = await waitFor(
      () => readSubscription(gw, owner.accessToken, subscription.id),
      (s) => historyTypes(s).includes('PAYMENT_RECOVERED'),
      30_000,
    );
    expect(recovered!.status).toBe('ACTIVE');
    const types = historyTypes(recovered);
    expect(inOrder(types, ['CREATED', 'INVOICE_ISSUED', 'PAYMENT_FAILED', 'PAYMENT_RECOVERED'])).toBe(true);
    expect(types.filter((t) => t === 'PAYMENT_FAILED')).toHaveLength(1);
    expect(types).not.toContain('SUSPENDED');

    const [invoice, ...others] = await readInvoices(gw, owner.accessToken, owner.organizationId);
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({ status: 'PAID', paidAt: expect.any(String) });
    const org = await readOrganizationStatus(gw, owner.accessToken, owner.organizationId);
    expect(org.status).toBe('ACTIVE');
    expect(org.statusHistory.map((change) => change.to)).not.toContain('SUSPENDED');
    await mailTo(owner.email, new RegExp(`^(Ödeme alınamadı|Payment failed): ${invoice!.number}$`));
    await mailTo(owner.email, new RegExp(`^(Ödemeniz alındı|Payment received): ${invoice!.number}$`));
  });

  it('sandbox_decline: three declined attempts, suspension, termination and erasure of the organisation [000 §7.5]', async () => {
    const { owner, subscription } = decline;
    // The organisation is erased at once (PT0S), so an operator follows it.
    const ended = await waitFor(() => readSubscription(gw, operatorToken, subscription.id), (s) => historyTypes(s).includes('DATA_ERASURE_SCHEDULED'), 60_000);
    expect(ended!.status).toBe('TERMINATED');
    const types = historyTypes(ended);
    expect(inOrder(types, ['CREATED', 'INVOICE_ISSUED', 'PAYMENT_FAILED', 'SUSPENDED', 'TERMINATED', 'DATA_ERASURE_SCHEDULED'])).toBe(true);
    expect(types.filter((t) => t === 'PAYMENT_FAILED')).toHaveLength(POLICY.maxCollectionAttempts);
    expect(types).not.toContain('PAYMENT_RECOVERED');
    expect(ended!.upcoming).toEqual([]);

    const org = await waitFor(() => readOrganizationStatus(gw, operatorToken, owner.organizationId), (o) => o.status === 'ERASED', 30_000);
    expect(inOrder(org.statusHistory.map((change) => change.to), ['ACTIVE', 'SUSPENDED', 'TERMINATED', 'ERASED'])).toBe(true);

    const invoices = await readInvoices(gw, operatorToken, owner.organizationId);
    expect(invoices.map((invoice) => invoice.status)).toEqual(['UNCOLLECTIBLE']);
    await mailTo(owner.email, new RegExp(`^(Ödeme alınamadı|Payment failed): ${invoices[0]!.number}$`));
    await mailTo(owner.email, /^(Hizmetiniz askıya alındı|Your service is suspended)$/);
  }, 90_000);
});

describe('who may see and change billing', () => {
  it('hides one organisation\'s subscription from another\'s owner, who can neither read, cancel nor download it', async () => {
    expect(await readSubscription(gw, stranger.accessToken, ok.subscription.id)).toBeNull();
    const cancel = await graphql(gw, CANCEL_SUBSCRIPTION, { token: stranger.accessToken, variables: { id: ok.subscription.id } });
    expect(cancel.data!.cancelSubscription).toEqual({ subscription: null, userErrors: [{ code: 'SUBSCRIPTION_NOT_FOUND', field: ['id'] }] });
    const invoices = await graphql(gw, 'query($o: ID!) { organization(id: $o) { invoices { edges { node { id } } } } }', { token: stranger.accessToken, variables: { o: ok.owner.organizationId } });
    expect(errorCodes(invoices)).toContain('FORBIDDEN');

    const [invoice] = await waitFor(() => readInvoices(gw, ok.owner.accessToken, ok.owner.organizationId), (list) => list.length > 0, 20_000);
    const pdf = await fetchInvoicePdf(gw, invoice!.pdfUrl, stranger.accessToken);
    expect(pdf.status).toBe(404);
    expect(pdf.body.toString()).not.toContain(invoice!.number);
    expect((await readSubscription(gw, ok.owner.accessToken, ok.subscription.id))!.cancelAtPeriodEnd).toBe(false);
  });

  it('shows a READ_ONLY member the subscription status but not invoices, PDFs or cancellation', async () => {
    const email = uniqueEmail('read-only');
    const invite = await graphql(gw, 'mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: READ_ONLY) }', {
      token: ok.owner.accessToken,
      variables: { o: ok.owner.organizationId, e: email },
    });
    expect(invite.data!.inviteMember).toBe(true);
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, email, /davet ediyor/);
    const accepted = await graphql(gw, `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${AUTH_FIELDS} } }`, {
      variables: {
        input: { token, firstName: 'Selin', lastName: 'Okur', password: 'Mavi-Kapi-Limon-Agaci-58', ageConfirmed: true, acceptedDocumentVersionIds: await currentDocumentIds(gw) },
      },
      headers: { 'x-forwarded-for': clientIp() },
    });
    expect(accepted.data!.acceptInvitation.userErrors).toEqual([]);
    const reader = accepted.data!.acceptInvitation.accessToken as string;

    const subscriptions = await graphql(gw, 'query($o: ID!) { organization(id: $o) { subscriptions { id status } } }', { token: reader, variables: { o: ok.owner.organizationId } });
    expect(subscriptions.errors).toBeUndefined();
    expect(subscriptions.data!.organization.subscriptions).toEqual([{ id: ok.subscription.id, status: 'ACTIVE' }]);
    const invoices = await graphql(gw, 'query($o: ID!) { organization(id: $o) { invoices { edges { node { id } } } } }', { token: reader, variables: { o: ok.owner.organizationId } });
    expect(errorCodes(invoices)).toEqual(['FORBIDDEN']);

    const [invoice] = await readInvoices(gw, ok.owner.accessToken, ok.owner.organizationId);
    expect((await fetchInvoicePdf(gw, invoice!.pdfUrl, reader)).status).toBe(403);
    expect(errorCodes(await graphql(gw, CANCEL_SUBSCRIPTION, { token: reader, variables: { id: ok.subscription.id } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, SET_PAYMENT_METHOD, { token: reader, variables: { o: ok.owner.organizationId, t: 'sandbox_decline' } }))).toEqual(['FORBIDDEN']);
    expect((await readSubscription(gw, ok.owner.accessToken, ok.subscription.id))!.cancelAtPeriodEnd).toBe(false);
  });

  it('never takes a card number as a payment method [000 §6.8, 003 §6.4.4]', async () => {
    const set = await graphql(gw, SET_PAYMENT_METHOD, { token: stranger.accessToken, variables: { o: stranger.organizationId, t: '4111 1111 1111 1111' } });
    expect(set.data!.setPaymentMethod).toEqual({ ok: false, userErrors: [{ code: 'CARD_NUMBER_NOT_ACCEPTED', field: ['paymentMethodToken'] }] });
    const start = await graphql(gw, START_SUBSCRIPTION, {
      token: stranger.accessToken,
      variables: { input: { organizationId: stranger.organizationId, planCode: PLAN.code, currency: 'TRY', paymentMethodToken: '4111-1111-1111-1111' } },
    });
    expect(start.data!.startSubscription.userErrors.map((e: { code: string }) => e.code)).toEqual(['CARD_NUMBER_NOT_ACCEPTED']);
  });

  it.each([
    ['an unknown plan', { planCode: `no-such-plan-${suffix}`, currency: 'TRY', paymentMethodToken: 'sandbox_ok' }, 'PLAN_NOT_FOUND', ['input', 'planCode']],
    ['a currency the plan has no price in', { planCode: PLAN.code, currency: 'USD', paymentMethodToken: 'sandbox_ok' }, 'NO_PRICE_IN_CURRENCY', ['input', 'currency']],
    ['a card-collected plan without a card', { planCode: PLAN.code, currency: 'TRY' }, 'PAYMENT_METHOD_REQUIRED', ['input', 'paymentMethodToken']],
  ])('refuses to start a subscription on %s', async (_, input, code, field) => {
    const response = await graphql(gw, START_SUBSCRIPTION, { token: stranger.accessToken, variables: { input: { organizationId: stranger.organizationId, ...input } } });
    expect(response.data!.startSubscription).toMatchObject({ subscription: null, userErrors: [{ code, field }] });
    const own = await graphql(gw, 'query($o: ID!) { organization(id: $o) { subscriptions { id } } }', { token: stranger.accessToken, variables: { o: stranger.organizationId } });
    expect(own.data!.organization.subscriptions).toEqual([]);
  });

  it('refuses a second live subscription to the same plan', async () => {
    const again = await graphql(gw, START_SUBSCRIPTION, {
      token: ok.owner.accessToken,
      variables: { input: { organizationId: ok.owner.organizationId, planCode: PLAN.code, currency: 'TRY' } },
    });
    expect(again.data!.startSubscription.userErrors.map((e: { code: string }) => e.code)).toEqual(['SUBSCRIPTION_EXISTS']);
  });
});

describe('sandbox_ok: a subscription that keeps renewing (BIL-3, BIL-5, BIL-8)', () => {
  it('pays every period: two paid invoices with GİB numbers, a receipt e-mail and the next renewal announced', async () => {
    const { owner, subscription } = ok;
    const renewed = await waitFor(
      () => readSubscription(gw, owner.accessToken, subscription.id),
      (s) => historyTypes(s).filter((t) => t === 'INVOICE_PAID').length >= 2,
      60_000,
    );
    expect(renewed!.status).toBe('ACTIVE');
    expect(inOrder(historyTypes(renewed), ['CREATED', 'INVOICE_ISSUED', 'INVOICE_PAID', 'PERIOD_STARTED', 'INVOICE_ISSUED', 'INVOICE_PAID'])).toBe(true);
    expect(historyTypes(renewed)).not.toContain('PAYMENT_FAILED');

    // BIL-3: what comes next is asked from the workflow itself.
    const announced = await waitFor(
      () => readSubscription(gw, owner.accessToken, subscription.id),
      (s) => s!.upcoming.some((event) => event.type === 'RENEWAL'),
      10_000,
    );
    const renewal = announced!.upcoming.find((event) => event.type === 'RENEWAL')!;
    expect(renewal.at).toBe(announced!.currentPeriodEnd);
    expect(new Date(renewal.at).getTime()).toBeGreaterThan(new Date(announced!.currentPeriodStart!).getTime());
    expect(renewal.detail).toBe(PLAN.code);

    const invoices = await readInvoices(gw, owner.accessToken, owner.organizationId);
    const paid = invoices.filter((invoice) => invoice.status === 'PAID');
    expect(paid.length).toBeGreaterThanOrEqual(2);
    for (const invoice of paid) {
      expect(invoice.number).toMatch(INVOICE_NUMBER);
      expect(invoice.subtotal).toEqual({ amountMinor: PRICE_MINOR, currency: 'TRY' });
      expect(invoice.total.amountMinor).toBe(invoice.subtotal.amountMinor + invoice.tax.amountMinor);
      expect(invoice.tax.amountMinor).toBeGreaterThan(0);
      expect(invoice.lines).toEqual([{ kind: 'PLAN', amount: { amountMinor: PRICE_MINOR } }]);
    }
    expect(new Set(paid.map((invoice) => invoice.number)).size).toBe(paid.length);

    const receipt = await mailTo(owner.email, /^(Ödemeniz alındı|Payment received): /);
    expect(paid.map((invoice) => invoice.number)).toContain(receipt.subject.split(': ')[1]);
  }, 90_000);

  it('serves the invoice PDF through the gateway to the owner only, with the bearer token', async () => {
    const [invoice] = (await readInvoices(gw, ok.owner.accessToken, ok.owner.organizationId)).filter((i) => i.status === 'PAID');
    expect(invoice!.pdfUrl).toBe(`/invoices/${invoice!.id}/pdf`);
    const pdf = await fetchInvoicePdf(gw, invoice!.pdfUrl, ok.owner.accessToken);
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await fetchInvoicePdf(gw, invoice!.pdfUrl)).status).toBe(401);
    expect((await fetchInvoicePdf(gw, invoice!.pdfUrl, 'not-a-token')).status).toBe(401);
    expect((await fetchInvoicePdf(gw, invoice!.pdfUrl, stranger.accessToken)).status).toBe(404);
  });

  it('cancels at the end of the current period with no notice (PT0S), and invoices nothing after (BIL-7)', async () => {
    const { owner, subscription } = ok;
    // Ask well inside a settled period, so the request and the period it names are the same one.
    const before = (await waitFor(
      () => readSubscription(gw, owner.accessToken, subscription.id),
      (s) => historyTypes(s).at(-1) === 'INVOICE_PAID' && Date.parse(s!.currentPeriodEnd!) - Date.now() > 5_000,
      30_000,
    ))!;
    const response = await graphql(gw, CANCEL_SUBSCRIPTION, { token: owner.accessToken, variables: { id: subscription.id } });
    expect(response.data!.cancelSubscription.userErrors).toEqual([]);
    const requested = response.data!.cancelSubscription.subscription as Subscription;
    expect(requested).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true, cancelEffectiveAt: before.currentPeriodEnd, currentPeriodEnd: before.currentPeriodEnd });

    const announced = await waitFor(
      () => readSubscription(gw, owner.accessToken, subscription.id),
      (s) => s!.status === 'CANCELED' || s!.upcoming.some((event) => event.type === 'CANCELLATION'),
      10_000,
    );
    if (announced!.status !== 'CANCELED') {
      expect(announced!.upcoming).toEqual([{ at: before.currentPeriodEnd, type: 'CANCELLATION', detail: 'at period end' }]);
    }
    const invoicesBefore = await readInvoices(gw, owner.accessToken, owner.organizationId);

    const canceled = await waitFor(() => readSubscription(gw, owner.accessToken, subscription.id), (s) => s!.status === 'CANCELED', 40_000);
    expect(inOrder(historyTypes(canceled), ['CANCELLATION_REQUESTED', 'CANCELED'])).toBe(true);
    expect(historyTypes(canceled).at(-1)).toBe('CANCELED');
    expect(canceled!.upcoming).toEqual([]);
    const lastEvent = canceled!.history.at(-1)!;
    expect(new Date(lastEvent.at).getTime()).toBeGreaterThanOrEqual(new Date(before.currentPeriodEnd!).getTime());
    expect((await readInvoices(gw, owner.accessToken, owner.organizationId)).map((i) => i.id)).toEqual(invoicesBefore.map((i) => i.id));
    expect((await readOrganizationStatus(gw, owner.accessToken, owner.organizationId)).status).toBe('ACTIVE');

    const again = await graphql(gw, CANCEL_SUBSCRIPTION, { token: owner.accessToken, variables: { id: subscription.id } });
    expect(again.data!.cancelSubscription.userErrors).toEqual([{ code: 'SUBSCRIPTION_ENDED', field: ['id'] }]);
  }, 70_000);
});
