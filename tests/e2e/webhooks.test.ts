// Issue 15 (webhooks, SPEC §7) end to end: endpoints registered through the
// gateway, events from the real billing workflow delivered by accounts'
// delivery workflows to a local receiver, signed to the Standard Webhooks
// scheme (checked with the standardwebhooks package), retried, logged,
// redelivered; a partner gets its referred customer's events; SSRF targets
// are refused.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IDS, LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { START_SUBSCRIPTION, secondsPolicy, waitFor } from '../support/billing.ts';
import { graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const suffix = randomUUID().slice(0, 8);

/** One long period: the first invoice, paid by the sandbox card at once, is the only one. */
const POLICY = secondsPolicy(`e2e-webhooks-${suffix}`, 'E2E webhooks policy', { billingPeriod: 'PT1H' });
const PLAN = { code: `e2e-webhooks-plan-${suffix}`, name: 'E2E webhooks plan', policyCode: POLICY.code, prices: [{ currency: 'TRY', amountMinor: 500_00 }] };

const ENDPOINT_FIELDS = 'id organizationId url eventTypes enabled secretCreatedAt previousSecretsExpireAt';
const DELIVERY_FIELDS = 'id eventId eventType status workflowId deliveredAt attempts { run attempt statusCode error durationMs at }';
const CREATE = `mutation($o: ID!, $input: WebhookEndpointInput!) { createWebhookEndpoint(organizationId: $o, input: $input) {
  endpoint { ${ENDPOINT_FIELDS} } signingSecret userErrors { code field }
} }`;
const ENDPOINTS = `query($o: ID!) { webhookEndpoints(organizationId: $o) { ${ENDPOINT_FIELDS} deliveries { ${DELIVERY_FIELDS} } } }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSigningSecret(id: $id, graceHours: 1) { endpoint { ${ENDPOINT_FIELDS} } signingSecret userErrors { code } } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { delivery { id } userErrors { code } } }`;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  payload: { id: string; type: string; timestamp: string; data: Record<string, unknown> };
}

/** A local receiver: records every request; `/flaky/...` answers 500 to its first two. */
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let operatorToken: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body, payload: JSON.parse(body) });
      const seen = received.filter((r) => r.path === path).length;
      res.statusCode = path.startsWith('/flaky') && seen <= 2 ? 500 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const login = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = login.data!.logIn.accessToken;
  expect((await graphql(gw, 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { token: operatorToken, variables: { input: POLICY } })).errors).toBeUndefined();
  expect((await graphql(gw, 'mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { token: operatorToken, variables: { input: PLAN } })).errors).toBeUndefined();
}, 60_000);

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function register(token: string, organizationId: string, path: string, eventTypes: string[]) {
  const response = await graphql(gw, CREATE, { token, variables: { o: organizationId, input: { url: `${receiverUrl}${path}`, eventTypes } } });
  expect(response.errors).toBeUndefined();
  expect(response.data!.createWebhookEndpoint.userErrors).toEqual([]);
  return response.data!.createWebhookEndpoint as { endpoint: { id: string }; signingSecret: string };
}

async function subscribe(owner: SignedUp) {
  const started = await graphql(gw, START_SUBSCRIPTION, {
    token: owner.accessToken,
    variables: { input: { organizationId: owner.organizationId, planCode: PLAN.code, currency: 'TRY', paymentMethodToken: 'sandbox_ok' } },
  });
  expect(started.errors).toBeUndefined();
  expect(started.data!.startSubscription.userErrors).toEqual([]);
  return started.data!.startSubscription.subscription.id as string;
}

/** The requests `path` received, once there are `count` of them. */
async function arrivals(path: string, count: number, timeoutMs = 45_000): Promise<Received[]> {
  const got = await waitFor(async () => received.filter((r) => r.path === path), (list) => list.length >= count, timeoutMs);
  expect(got.length, `requests to ${path}`).toBeGreaterThanOrEqual(count);
  return got;
}

async function deliveriesOf(token: string, organizationId: string, endpointId: string) {
  const response = await graphql(gw, ENDPOINTS, { token, variables: { o: organizationId } });
  expect(response.errors).toBeUndefined();
  const endpoint = response.data!.webhookEndpoints.find((e: { id: string }) => e.id === endpointId);
  return endpoint.deliveries as { id: string; eventId: string; eventType: string; status: string; workflowId: string; attempts: { run: number; attempt: number; statusCode: number | null }[] }[];
}

const verify = (secret: string, request: Received) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>);

describe('webhooks (issue 15, SPEC §7)', () => {
  it('a registered endpoint gets invoice.paid signed to the Standard Webhooks scheme; the log shows it; a rotated secret signs beside the old one', async () => {
    const owner = await signUpAndVerify(stack);
    const path = `/customer-${suffix}`;
    const { endpoint, signingSecret } = await register(owner.accessToken, owner.organizationId, path, ['invoice.paid', 'invoice.issued']);
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await graphql(gw, ENDPOINTS, { token: owner.accessToken, variables: { o: owner.organizationId } });
    expect(JSON.stringify(listed.data)).not.toContain(signingSecret);

    const subscriptionId = await subscribe(owner);
    const [issued, paid] = await arrivals(path, 2);
    const paidRequest = [issued!, paid!].find((r) => r.payload.type === 'invoice.paid')!;
    expect(verify(signingSecret, paidRequest)).toMatchObject({
      type: 'invoice.paid',
      data: { organizationId: owner.organizationId, subscriptionId, currency: 'TRY', paid: true },
    });
    expect(paidRequest.headers['webhook-id']).toBe(paidRequest.payload.id);
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, paidRequest)).toThrow();
    expect(new Set([issued!.payload.type, paid!.payload.type])).toEqual(new Set(['invoice.issued', 'invoice.paid']));

    const deliveries = await waitFor(() => deliveriesOf(owner.accessToken, owner.organizationId, endpoint.id), (list) => list.every((d) => d.status === 'SUCCEEDED'), 10_000);
    const paidDelivery = deliveries.find((d) => d.eventType === 'invoice.paid')!;
    expect(paidDelivery).toMatchObject({ eventId: paidRequest.payload.id, status: 'SUCCEEDED', attempts: [{ run: 0, attempt: 1, statusCode: 200 }] });
    expect(paidDelivery.workflowId).toBe(`webhook-delivery/${paidDelivery.id}`);

    // Rotation: the new secret is answered once; old and new both verify the next delivery during the grace hour.
    const rotated = await graphql(gw, ROTATE, { token: owner.accessToken, variables: { id: endpoint.id } });
    const newSecret = rotated.data!.rotateWebhookSigningSecret.signingSecret as string;
    expect(newSecret).not.toBe(signingSecret);
    expect(rotated.data!.rotateWebhookSigningSecret.endpoint.previousSecretsExpireAt).toHaveLength(1);
    const again = await graphql(gw, REDELIVER, { token: owner.accessToken, variables: { id: paidDelivery.id } });
    expect(again.data!.redeliverWebhook.userErrors).toEqual([]);
    const redelivered = (await arrivals(path, 3))[2]!;
    expect(redelivered.headers['webhook-id']).toBe(paidRequest.payload.id);
    expect(String(redelivered.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(newSecret, redelivered)).toMatchObject({ type: 'invoice.paid' });
    expect(verify(signingSecret, redelivered)).toMatchObject({ type: 'invoice.paid' });

    // Someone else's delivery is not theirs to read or redeliver.
    const stranger = await signUpAndVerify(stack);
    expect((await graphql(gw, ENDPOINTS, { token: stranger.accessToken, variables: { o: owner.organizationId } })).data!.webhookEndpoints).toEqual([]);
    const foreign = await graphql(gw, REDELIVER, { token: stranger.accessToken, variables: { id: paidDelivery.id } });
    expect(foreign.data!.redeliverWebhook.userErrors).toEqual([{ code: 'WEBHOOK_DELIVERY_NOT_FOUND' }]);
  }, 90_000);

  it('when the receiver answers 500 twice the event arrives on the third attempt, under one webhook-id, and the log shows all three', async () => {
    const owner = await signUpAndVerify(stack);
    const path = `/flaky-${suffix}`;
    const { endpoint, signingSecret } = await register(owner.accessToken, owner.organizationId, path, ['subscription.created']);
    const subscriptionId = await subscribe(owner);

    const attempts = await arrivals(path, 3);
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(verify(signingSecret, attempts[2]!)).toMatchObject({ type: 'subscription.created', data: { subscriptionId } });
    const [delivery] = await waitFor(() => deliveriesOf(owner.accessToken, owner.organizationId, endpoint.id), (list) => list[0]?.status === 'SUCCEEDED', 10_000);
    expect(delivery!.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(received.filter((r) => r.path === path)).toHaveLength(3);
  }, 90_000);

  it("a partner's endpoint gets its referred customer's events (invoice.paid, ticket.opened)", async () => {
    const partner = await signUpAndVerify(stack, { customerType: 'CORPORATE', nationalId: null, taxId: IDS.vkn2, taxOffice: 'Şişli', authorityConfirmed: true, companyName: 'Webhook Bayi Ltd.' });
    const approved = await graphql(gw, 'mutation($o: ID!) { approvePartner(organizationId: $o) { partnerCode } }', { token: operatorToken, variables: { o: partner.organizationId } });
    const partnerCode = approved.data!.approvePartner.partnerCode as string;
    const key = await graphql(gw, 'mutation($o: ID!) { createApiKey(organizationId: $o, name: "hooks", scopes: ["webhooks:manage"]) { apiKey userErrors { code } } }', {
      token: partner.accessToken,
      variables: { o: partner.organizationId },
    });
    expect(key.data!.createApiKey.userErrors).toEqual([]);
    const exchanged = await graphql(gw, 'mutation($k: String!) { exchangeApiKey(apiKey: $k) { accessToken } }', { variables: { k: key.data!.createApiKey.apiKey } });
    const partnerToken = exchanged.data!.exchangeApiKey.accessToken as string;
    const path = `/partner-${suffix}`;
    const { signingSecret } = await register(partnerToken, partner.organizationId, path, ['invoice.paid', 'ticket.opened']);

    const customer = await signUpAndVerify(stack, { referralPartnerCode: partnerCode });
    await subscribe(customer);
    const ticket = await graphql(gw, 'mutation($input: OpenTicketInput!) { openTicket(input: $input) { ticket { id number } userErrors { code } } }', {
      token: customer.accessToken,
      variables: { input: { organizationId: customer.organizationId, subject: 'Fatura sorusu', body: 'Merhaba', department: 'BILLING', priority: 'NORMAL' } },
    });
    expect(ticket.data!.openTicket.userErrors).toEqual([]);
    const requests = await arrivals(path, 2);
    const byType = new Map(requests.map((r) => [r.payload.type, r]));
    expect(verify(signingSecret, byType.get('invoice.paid')!)).toMatchObject({ data: { organizationId: customer.organizationId } });
    expect(verify(signingSecret, byType.get('ticket.opened')!)).toMatchObject({
      data: { organizationId: customer.organizationId, ticketId: ticket.data!.openTicket.ticket.id, number: ticket.data!.openTicket.ticket.number, status: 'OPEN' },
    });
    // The text of the ticket stays out of the event.
    expect(byType.get('ticket.opened')!.body).not.toContain('Fatura sorusu');
  }, 90_000);

  it('an operator\'s credit note reaches the customer\'s endpoint as credit_note.issued, once per note', async () => {
    const owner = await signUpAndVerify(stack);
    const path = `/credit-${suffix}`;
    const { signingSecret } = await register(owner.accessToken, owner.organizationId, path, ['credit_note.issued']);
    await subscribe(owner);
    const invoice = await waitFor(
      async () => (await graphql(gw, 'query($o: ID!) { organization(id: $o) { invoices(first: 1) { edges { node { id status } } } } }', { token: owner.accessToken, variables: { o: owner.organizationId } })).data?.organization.invoices.edges[0]?.node,
      (node: { id: string; status: string } | undefined) => node?.status === 'PAID',
      30_000,
    );
    const issue = () =>
      graphql(gw, 'mutation($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { creditNote { id number total { amountMinor } } userErrors { code } } }', {
        token: operatorToken,
        variables: { input: { invoiceId: invoice!.id, amountMinor: 100_00, reason: 'Goodwill', idempotencyKey: `webhook-${suffix}` } },
      });
    const note = (await issue()).data!.issueCreditNote.creditNote;
    expect((await issue()).data!.issueCreditNote.creditNote.number).toBe(note.number);
    const [request] = await arrivals(path, 1);
    expect(verify(signingSecret, request!)).toMatchObject({
      type: 'credit_note.issued',
      data: { creditNoteId: note.id, number: note.number, invoiceId: invoice!.id, totalMinor: note.total.amountMinor },
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(received.filter((r) => r.path === path)).toHaveLength(1);
  }, 90_000);

  it('refuses private, loopback, link-local, multicast and metadata targets with a coded BAD_USER_INPUT', async () => {
    const owner = await signUpAndVerify(stack);
    const refusedUrls = [
      'http://10.1.2.3/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.2:9/hook',
      'http://0x7f000002/hook',
      'http://[::1]/hook',
      'http://[fd00:ec2::254]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.2]/hook',
      'http://224.0.0.1/hook',
      'http://user:pass@8.8.8.8/hook',
      'ftp://8.8.8.8/hook',
    ];
    for (const url of refusedUrls) {
      const response = await graphql(gw, CREATE, { token: owner.accessToken, variables: { o: owner.organizationId, input: { url, eventTypes: ['invoice.paid'] } } });
      expect(response.errors?.[0], url).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('webhook URL refused') });
      expect(response.errors?.[0]?.message, url).not.toMatch(/\bat \w+ \(/);
    }
    const unknownType = await graphql(gw, CREATE, { token: owner.accessToken, variables: { o: owner.organizationId, input: { url: `${receiverUrl}/x`, eventTypes: ['invoice.exploded'] } } });
    expect(unknownType.data!.createWebhookEndpoint.userErrors).toEqual([{ code: 'UNKNOWN_EVENT_TYPE', field: ['input', 'eventTypes'] }]);
    const listed = await graphql(gw, ENDPOINTS, { token: owner.accessToken, variables: { o: owner.organizationId } });
    expect(listed.data!.webhookEndpoints).toEqual([]);
  }, 60_000);
});
