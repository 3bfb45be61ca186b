// Issue 14: the queries and mutations the portal and back office need,
// through the gateway, authorised per operator role and per member role.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { AUTH_FIELDS, LOG_IN, signUpAndVerify, tokenFromEmail, uniqueEmail, type SignedUp } from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { operatorToken, randomVkn } from '../support/web.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;

let operator: string;
let supportAgent: string;
let customer: SignedUp;
let stranger: SignedUp;
const vkn = randomVkn();
const name = `Arama Deneme ${randomUUID().slice(0, 6)}`;

const SEARCH = 'query($q: String, $first: Int, $after: String) { operatorOrganizations(query: $q, first: $first, after: $after) { edges { node { id name taxId customerCode } } pageInfo { hasNextPage endCursor } } }';
const PURCHASE = `mutation($o: ID!, $amount: PriceInput!, $key: String!) { purchasePrepaidCredit(organizationId: $o, amount: $amount, idempotencyKey: $key) { balance { amountMicros currency } userErrors { code field } } }`;

async function newOperator(role: string): Promise<string> {
  const email = uniqueEmail(role.toLowerCase());
  const created = await graphql(gw, 'mutation($e: String!, $r: [OperatorRole!]!) { createOperator(input: { email: $e, firstName: "Ece", lastName: "Yardımcı", roles: $r }) { userErrors { code } } }', { token: operator, variables: { e: email, r: [role] } });
  expect(created.data!.createOperator.userErrors).toEqual([]);
  const { token } = await tokenFromEmail(stack.mailCatcherUrl, email, /Operatör hesabınız|operator account/);
  const set = await graphql(gw, `mutation($t: String!) { resetPassword(token: $t, newPassword: "Destek-Masasi-Sifre-51") { ${AUTH_FIELDS} } }`, { variables: { t: token } });
  expect(set.data!.resetPassword.userErrors).toEqual([]);
  return set.data!.resetPassword.accessToken as string;
}

beforeAll(async () => {
  operator = await operatorToken(gw);
  supportAgent = await newOperator('SUPPORT_AGENT');
  customer = await signUpAndVerify(stack, { customerType: 'CORPORATE', companyName: name, taxId: vkn, taxOffice: 'Beşiktaş', nationalId: null, authorityConfirmed: true });
  stranger = await signUpAndVerify(stack);
}, 60_000);

describe('operator search (issue 14)', () => {
  it('finds an organisation by VKN, customer code, e-mail and part of its name, for any operator role', async () => {
    for (const [query, token] of [[vkn, operator], [customer.customerCode, supportAgent], [customer.email.toUpperCase(), operator], [name.slice(0, 14).toLowerCase(), supportAgent]] as const) {
      const found = await graphql(gw, SEARCH, { token, variables: { q: query } });
      expect(found.errors, query).toBeUndefined();
      expect(found.data!.operatorOrganizations.edges.map((e: { node: { id: string } }) => e.node.id), query).toContain(customer.organizationId);
    }
    const byVkn = await graphql(gw, SEARCH, { token: operator, variables: { q: vkn } });
    expect(byVkn.data!.operatorOrganizations.edges).toEqual([{ node: { id: customer.organizationId, name, taxId: vkn, customerCode: customer.customerCode } }]);
  });

  it('pages newest first and treats regex characters as text', async () => {
    const first = await graphql(gw, SEARCH, { token: operator, variables: { first: 1 } });
    expect(first.data!.operatorOrganizations.pageInfo.hasNextPage).toBe(true);
    const second = await graphql(gw, SEARCH, { token: operator, variables: { first: 1, after: first.data!.operatorOrganizations.pageInfo.endCursor } });
    expect(second.data!.operatorOrganizations.edges[0].node.id).not.toBe(first.data!.operatorOrganizations.edges[0].node.id);
    const odd = await graphql(gw, SEARCH, { token: operator, variables: { q: '.*(' } });
    expect(odd.errors).toBeUndefined();
    expect(odd.data!.operatorOrganizations.edges).toEqual([]);
  });

  it('is refused to customers, and the tax identity stays hidden from them', async () => {
    expect(errorCodes(await graphql(gw, SEARCH, { token: customer.accessToken, variables: { q: vkn } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, SEARCH, { variables: { q: vkn } }))).toEqual(['UNAUTHENTICATED']);
    const own = await graphql(gw, 'query($o: ID!) { organization(id: $o) { taxId nationalId } }', { token: customer.accessToken, variables: { o: customer.organizationId } });
    expect(own.data!.organization).toEqual({ taxId: null, nationalId: null });
  });
});

describe('billing views for operators (issue 14)', () => {
  it('lets billing operators, and nobody else, list invoices and read the revenue figures', async () => {
    const overdue = await graphql(gw, '{ operatorInvoices(overdue: true, first: 100) { edges { node { status dueAt daysOverdue } } } }', { token: operator });
    expect(overdue.errors).toBeUndefined();
    for (const { node } of overdue.data!.operatorInvoices.edges) {
      expect(node.status).toBe('OPEN');
      expect(Date.parse(node.dueAt)).toBeLessThan(Date.now());
    }
    const metrics = await graphql(gw, '{ billingMetrics { mrr { planCode currency mrrMinor arrMinor } dunning { failed recovered suspended terminated open } } }', { token: operator });
    expect(metrics.errors).toBeUndefined();
    // ARR is twelve months of the unrounded MRR, so it may differ from 12 × the rounded MRR by under 12 minor units.
    for (const line of metrics.data!.billingMetrics.mrr) expect(Math.abs(line.arrMinor - line.mrrMinor * 12)).toBeLessThan(12);
    const funnel = metrics.data!.billingMetrics.dunning;
    expect(funnel.recovered + funnel.suspended + funnel.terminated + funnel.open).toBe(funnel.failed);
    for (const token of [supportAgent, customer.accessToken]) {
      expect(errorCodes(await graphql(gw, '{ operatorInvoices { edges { node { id } } } }', { token }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await graphql(gw, '{ billingMetrics { dunning { failed } } }', { token }))).toEqual(['FORBIDDEN']);
    }
  });
});

describe('prepaid credit bought by the customer with the card on file (004 §6.2)', () => {
  const amount = { currency: 'USD', amountMinor: 100_00 };

  it('needs a stored card, charges it once per key, and credits the balance once', async () => {
    const key = `topup-${randomUUID()}`;
    const noCard = await graphql(gw, PURCHASE, { token: customer.accessToken, variables: { o: customer.organizationId, amount, key } });
    expect(noCard.data!.purchasePrepaidCredit).toEqual({ balance: null, userErrors: [{ code: 'PAYMENT_METHOD_REQUIRED', field: ['organizationId'] }] });
    await graphql(gw, 'mutation($o: ID!) { setPaymentMethod(organizationId: $o, paymentMethodToken: "sandbox_ok") { ok } }', { token: customer.accessToken, variables: { o: customer.organizationId } });
    const bought = await graphql(gw, PURCHASE, { token: customer.accessToken, variables: { o: customer.organizationId, amount, key } });
    expect(bought.data!.purchasePrepaidCredit).toEqual({ balance: { currency: 'USD', amountMicros: 100_000_000 }, userErrors: [] });
    // The same click again (a retry): no second charge, no second credit.
    const again = await graphql(gw, PURCHASE, { token: customer.accessToken, variables: { o: customer.organizationId, amount, key } });
    expect(again.data!.purchasePrepaidCredit.balance).toEqual({ currency: 'USD', amountMicros: 100_000_000 });
    const balances = await graphql(gw, 'query($o: ID!) { organization(id: $o) { prepaidBalances { currency amountMicros } } }', { token: customer.accessToken, variables: { o: customer.organizationId } });
    expect(balances.data!.organization.prepaidBalances).toEqual([{ currency: 'USD', amountMicros: 100_000_000 }]);
  });

  it('reports a declined card and refuses bad input, operators and other organisations', async () => {
    await graphql(gw, 'mutation($o: ID!) { setPaymentMethod(organizationId: $o, paymentMethodToken: "sandbox_decline") { ok } }', { token: stranger.accessToken, variables: { o: stranger.organizationId } });
    const declined = await graphql(gw, PURCHASE, { token: stranger.accessToken, variables: { o: stranger.organizationId, amount, key: `topup-${randomUUID()}` } });
    expect(declined.data!.purchasePrepaidCredit).toEqual({ balance: null, userErrors: [{ code: 'PAYMENT_DECLINED', field: ['organizationId'] }] });
    const badKey = await graphql(gw, PURCHASE, { token: stranger.accessToken, variables: { o: stranger.organizationId, amount, key: 'x' } });
    expect(badKey.data!.purchasePrepaidCredit.userErrors).toEqual([{ code: 'INVALID_IDEMPOTENCY_KEY', field: ['idempotencyKey'] }]);
    const negative = await graphql(gw, PURCHASE, { token: stranger.accessToken, variables: { o: stranger.organizationId, amount: { currency: 'USD', amountMinor: -5 }, key: `topup-${randomUUID()}` } });
    expect(negative.data!.purchasePrepaidCredit.userErrors).toEqual([{ code: 'MUST_BE_POSITIVE', field: ['amount', 'amountMinor'] }]);
    expect(errorCodes(await graphql(gw, PURCHASE, { token: operator, variables: { o: customer.organizationId, amount, key: `topup-${randomUUID()}` } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, PURCHASE, { token: stranger.accessToken, variables: { o: customer.organizationId, amount, key: `topup-${randomUUID()}` } }))).toEqual(['FORBIDDEN']);
  });
});

describe('the customer as controller of its end-users’ data (CON-8)', () => {
  it('shows the owner the requests forwarded to its organisation, and lets it acknowledge them', async () => {
    const forwarded = await graphql(gw, 'mutation($input: ForwardEndUserRequestInput!) { forwardEndUserRequest(input: $input) { request { id } userErrors { code } } }', {
      token: operator,
      variables: { input: { organizationId: customer.organizationId, receivedAt: new Date().toISOString(), summary: 'Bir son kullanıcı verilerinin silinmesini istiyor.' } },
    });
    const id = forwarded.data!.forwardEndUserRequest.request.id;
    const mine = await graphql(gw, 'query($o: ID!) { organization(id: $o) { endUserRequests { id summary acknowledgedAt } } }', { token: customer.accessToken, variables: { o: customer.organizationId } });
    expect(mine.data!.organization.endUserRequests).toEqual([{ id, summary: 'Bir son kullanıcı verilerinin silinmesini istiyor.', acknowledgedAt: null }]);
    const byId = await graphql(gw, 'query($id: ID!) { endUserRequest(id: $id) { id workflowId } }', { token: customer.accessToken, variables: { id } });
    expect(byId.data!.endUserRequest).toEqual({ id, workflowId: `end-user-request/${id}` });
    expect((await graphql(gw, 'query($id: ID!) { endUserRequest(id: $id) { id } }', { token: stranger.accessToken, variables: { id } })).data!.endUserRequest).toBeNull();
    expect(errorCodes(await graphql(gw, 'mutation($id: ID!) { acknowledgeForwardedRequest(id: $id) { request { id } } }', { token: stranger.accessToken, variables: { id } }))).toEqual(['FORBIDDEN']);
    const acknowledged = await graphql(gw, 'mutation($id: ID!) { acknowledgeForwardedRequest(id: $id) { request { acknowledgedAt } userErrors { code } } }', { token: customer.accessToken, variables: { id } });
    expect(acknowledged.data!.acknowledgeForwardedRequest.request.acknowledgedAt).toEqual(expect.any(String));
  });

  it('reads a data-subject request by id for its person and DPOs only', async () => {
    const submitted = await graphql(gw, 'mutation { submitDataSubjectRequest(kind: RECIPIENTS) { request { id } } }', { token: stranger.accessToken });
    const id = submitted.data!.submitDataSubjectRequest.request.id;
    const query = 'query($id: ID!) { dataSubjectRequest(id: $id) { id kind workflowId } }';
    expect((await graphql(gw, query, { token: stranger.accessToken, variables: { id } })).data!.dataSubjectRequest).toEqual({ id, kind: 'RECIPIENTS', workflowId: `data-subject-request/${id}` });
    expect((await graphql(gw, query, { token: operator, variables: { id } })).data!.dataSubjectRequest.id).toBe(id);
    expect((await graphql(gw, query, { token: customer.accessToken, variables: { id } })).data!.dataSubjectRequest).toBeNull();
    expect((await graphql(gw, query, { token: supportAgent, variables: { id } })).data!.dataSubjectRequest).toBeNull();
  });
});

describe('a partner reads the customers it referred (ACC-9)', () => {
  it('reads a referred organisation with its subscriptions, and nothing of anyone else', async () => {
    const partner = await signUpAndVerify(stack, { customerType: 'CORPORATE', nationalId: null, taxId: randomVkn(), taxOffice: 'Şişli', authorityConfirmed: true, companyName: 'Bayi Ortak Ltd.' });
    const approved = await graphql(gw, 'mutation($o: ID!) { approvePartner(organizationId: $o) { partnerCode } }', { token: operator, variables: { o: partner.organizationId } });
    const key = await graphql(gw, 'mutation($o: ID!) { createApiKey(organizationId: $o, name: "CRM", scopes: ["customers:read"]) { apiKey } }', { token: partner.accessToken, variables: { o: partner.organizationId } });
    const exchanged = await graphql(gw, 'mutation($k: String!) { exchangeApiKey(apiKey: $k) { accessToken } }', { variables: { k: key.data!.createApiKey.apiKey } });
    const partnerToken = exchanged.data!.exchangeApiKey.accessToken as string;
    const referred = await signUpAndVerify(stack, { referralPartnerCode: approved.data!.approvePartner.partnerCode });
    const started = await graphql(gw, 'mutation($o: ID!) { startSubscription(input: { organizationId: $o, planCode: "CRM-MONTHLY", currency: "TRY" }) { subscription { id } userErrors { code } } }', { token: referred.accessToken, variables: { o: referred.organizationId } });
    expect(started.data!.startSubscription.userErrors).toEqual([]);

    const READ = 'query($o: ID!) { organization(id: $o) { customerCode status referredByPartnerId subscriptions { id status plan { code } } } }';
    const read = await graphql(gw, READ, { token: partnerToken, variables: { o: referred.organizationId } });
    expect(read.errors).toBeUndefined();
    expect(read.data!.organization).toEqual({
      customerCode: referred.customerCode,
      status: 'ACTIVE',
      referredByPartnerId: partner.organizationId,
      subscriptions: [{ id: started.data!.startSubscription.subscription.id, status: expect.any(String), plan: { code: 'CRM-MONTHLY' } }],
    });
    // Someone else's customer stays invisible, and members still read their own as before.
    const other = await graphql(gw, READ, { token: partnerToken, variables: { o: stranger.organizationId } });
    expect(other.data?.organization ?? null).toBeNull();
    const own = await graphql(gw, READ, { token: referred.accessToken, variables: { o: referred.organizationId } });
    expect(own.data!.organization.subscriptions).toHaveLength(1);
  });
});

describe('one’s own sessions (ACC-4)', () => {
  it('lists the open sessions of one’s login and ends another one, whose refresh token then fails', async () => {
    const logIn = async () => (await graphql(gw, LOG_IN, { variables: { email: stranger.email, password: stranger.password } })).data!.logIn;
    const here = await logIn();
    const there = await logIn();
    const SESSIONS = '{ me { sessions { id current } } }';
    const listed = (await graphql(gw, SESSIONS, { token: here.accessToken })).data!.me.sessions as { id: string; current: boolean }[];
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    const thereId = (await graphql(gw, SESSIONS, { token: there.accessToken })).data!.me.sessions.find((s: { current: boolean }) => s.current).id;
    expect(listed.map((s) => s.id)).toContain(thereId);
    expect((await graphql(gw, 'mutation($id: ID!) { endSession(id: $id) { ok userErrors { code } } }', { token: customer.accessToken, variables: { id: thereId } })).data!.endSession).toEqual({ ok: false, userErrors: [{ code: 'SESSION_NOT_FOUND' }] });
    expect((await graphql(gw, 'mutation($id: ID!) { endSession(id: $id) { ok userErrors { code } } }', { token: here.accessToken, variables: { id: thereId } })).data!.endSession).toEqual({ ok: true, userErrors: [] });
    const refreshed = await graphql(gw, 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken userErrors { code } } }', { variables: { t: there.refreshToken } });
    expect(refreshed.data!.refreshSession.accessToken).toBeNull();
    const after = (await graphql(gw, SESSIONS, { token: here.accessToken })).data!.me.sessions.map((s: { id: string }) => s.id);
    expect(after).not.toContain(thereId);
  });
});

describe('operator actions carry their reason (ACC-6, ACC-10)', () => {
  it('keeps the reason for lifting a suspension in the audit log', async () => {
    const someone = await signUpAndVerify(stack);
    await graphql(gw, 'mutation($o: ID!) { suspendOrganization(id: $o, reason: "ABUSE", note: "Şikâyet") { status } }', { token: operator, variables: { o: someone.organizationId } });
    const lifted = await graphql(gw, 'mutation($o: ID!) { reinstateOrganization(id: $o, reason: ABUSE, note: "Şikâyet geri çekildi") { status } }', { token: operator, variables: { o: someone.organizationId } });
    expect(lifted.data!.reinstateOrganization.status).toBe('ACTIVE');
    const log = await graphql(gw, 'query($o: ID!) { operatorAuditLog(targetId: $o, first: 1) { edges { node { action after } } } }', { token: operator, variables: { o: someone.organizationId } });
    const [entry] = log.data!.operatorAuditLog.edges;
    expect(entry.node.action).toBe('reinstateOrganization');
    expect(JSON.parse(entry.node.after).note).toBe('Şikâyet geri çekildi');
  });
});
