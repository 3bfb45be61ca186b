// Issue 2 (platform foundation): the real stack (FerretDB, Temporal dev server,
// mail catcher, four subgraphs, worker, gateway) answering over real HTTP.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import type { Connection } from 'mongoose';
import { connectDatabase, loadConfig } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { connectTemporalClient, emailWorkflowId } from '@omurga/shared/temporal';
import { accountsModels } from '../../services/accounts/src/models.ts';
import { hashPassword } from '../../services/accounts/src/passwords.ts';
import { billingModels } from '../../services/billing/src/models/index.ts';
import { consentModels } from '../../services/consent/src/models.ts';
import { supportModels } from '../../services/support/src/models.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { waitForEmail } from '../support/mail-catcher.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const config = loadConfig({ ...process.env, ...stack.env });
const gw = stack.gatewayUrl;

const LOG_IN = `mutation($email: String!, $password: String!) {
  logIn(input: { email: $email, password: $password }) { accessToken expiresAt user { id email } userErrors { code field message } }
}`;

async function logIn(email: string, password: string): Promise<string> {
  const response = await graphql(gw, LOG_IN, { variables: { email, password } });
  const token = response.data?.logIn?.accessToken;
  expect(response.data?.logIn?.userErrors).toEqual([]);
  expect(typeof token).toBe('string');
  return token as string;
}

// Fixture data written straight into each service's own database: the
// operations that create it (sign-up, subscriptions, tickets) arrive with
// their own issues and tests.
const dbs: Connection[] = [];
const fixture = { orgA: '', orgB: '', customerEmail: `customer-${randomUUID()}@example.com`, password: 'Customer-Password-1' };

beforeAll(async () => {
  // Billing memoises the public catalogue: read it first, so the policy written
  // below is newer than billing's copy, as one written by another instance is.
  expect((await graphql(gw, '{ plans { code } }')).errors).toBeUndefined();
  const [accountsDb, billingDb, consentDb, supportDb] = await Promise.all(
    (['accounts', 'billing', 'consent', 'support'] as const).map((name) => connectDatabase(config, name)),
  );
  dbs.push(accountsDb!, billingDb!, consentDb!, supportDb!);
  const accounts = accountsModels(accountsDb!);
  const billing = billingModels(billingDb!);
  const consent = consentModels(consentDb!);
  const support = supportModels(supportDb!);

  const suffix = randomUUID().slice(0, 6).toUpperCase();
  const [orgA, orgB] = await accounts.Organization.create([
    { name: 'Anadolu Yazılım A.Ş.', customerCode: `A-${suffix}`, customerType: 'CORPORATE', status: 'ACTIVE' },
    { name: 'Boğaziçi Ticaret', customerCode: `B-${suffix}`, customerType: 'SOLE_PROPRIETOR', status: 'ACTIVE' },
  ]);
  fixture.orgA = orgA!._id.toString();
  fixture.orgB = orgB!._id.toString();
  const user = await accounts.User.create({
    email: fixture.customerEmail,
    passwordHash: await hashPassword(fixture.password),
    firstName: 'Ayşe',
    lastName: 'Yılmaz',
    emailVerifiedAt: new Date(),
  });
  await accounts.Membership.create({ userId: user._id, organizationId: orgA!._id, role: 'OWNER' });

  const policy = await billing.ContractPolicy.create({
    code: 'platform-test-policy', version: 1, name: 'Omnichannel SaaS', trialRequiresPaymentMethod: false,
    billingPeriod: 'P1M', collectionMethod: 'CARD_AUTO', maxCollectionAttempts: 3, retryInterval: 'P1D',
    dataDeletionAfterTermination: 'P14D', cancellationNotice: 'P30D', termsChangeNotice: 'PT0S',
  });
  const plan = await billing.Plan.create({
    code: 'PLATFORM-TEST', version: 1, name: 'PRO HUB', policyCode: policy.code, prices: [{ amountMinor: 99_900, currency: 'TRY' }],
  });
  const pinned = { planCode: plan.code, currency: 'TRY', planId: plan._id, policyId: policy._id };
  await billing.Subscription.create({ organizationId: fixture.orgA, ...pinned, status: 'ACTIVE', history: [{ at: new Date(), type: 'ACTIVATED' }] });
  await billing.Subscription.create({ organizationId: fixture.orgB, ...pinned, status: 'TRIALING' });

  await consent.ConsentEvent.create([
    { userId: user._id.toString(), channel: 'EMAIL', purpose: 'marketing', granted: true, at: new Date(Date.now() - 60_000), source: 'API' },
    { userId: user._id.toString(), channel: 'EMAIL', purpose: 'marketing', granted: false, at: new Date(), source: 'API' },
  ]);

  await support.Ticket.create({
    number: `T-${suffix}`, year: 2026, sequence: 900_000 + Math.floor(Math.random() * 99_999), organizationId: fixture.orgA, openedBy: user._id.toString(), subject: 'Fatura sorusu',
    department: 'billing', status: 'ANSWERED', priority: 'NORMAL',
    messages: [
      { body: 'Faturam nerede?', authorId: user._id.toString(), fromOperator: false, createdAt: new Date() },
      { body: 'internal: customer is on legacy price', authorId: 'agent', fromOperator: true, internal: true, createdAt: new Date() },
      { body: 'Panelden indirebilirsiniz.', authorId: 'agent', fromOperator: true, createdAt: new Date() },
    ],
  });
});

afterAll(async () => {
  await Promise.all(dbs.map((db) => db.close()));
});

describe('federated gateway', () => {
  it('joins fields from all four subgraphs in one query', async () => {
    const token = await logIn(fixture.customerEmail, fixture.password);
    const response = await graphql(
      gw,
      `{ me {
           email
           consents { channel purpose granted }
           memberships { role organization {
             name customerCode status
             subscriptions { status plan { code policy { code billingPeriod } } }
             tickets(first: 5) { edges { node { subject messages { body fromOperator } } } }
           } }
         } }`,
      { token },
    );
    expect(response.errors).toBeUndefined();
    const me = response.data!.me;
    expect(me.email).toBe(fixture.customerEmail); // accounts
    expect(me.consents).toEqual([{ channel: 'EMAIL', purpose: 'marketing', granted: false }]); // consent: latest event wins
    expect(me.memberships).toHaveLength(1);
    const org = me.memberships[0].organization;
    expect(org.name).toBe('Anadolu Yazılım A.Ş.');
    expect(org.subscriptions).toEqual([{ status: 'ACTIVE', plan: { code: 'PLATFORM-TEST', policy: { code: 'platform-test-policy', billingPeriod: 'P1M' } } }]); // billing
    const ticket = org.tickets.edges[0].node; // support
    expect(ticket.subject).toBe('Fatura sorusu');
    expect(ticket.messages.map((m: { body: string }) => m.body)).toEqual(['Faturam nerede?', 'Panelden indirebilirsiniz.']);
  });

  it('lets the bootstrap operator sign in and read any organisation', async () => {
    const token = await logIn(E2E_OPERATOR.email, E2E_OPERATOR.password);
    const response = await graphql(gw, `query($id: ID!) { me { operatorRoles } organization(id: $id) { name subscriptions { status } } }`, {
      token,
      variables: { id: fixture.orgB },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ me: { operatorRoles: ['SUPER_ADMIN'] }, organization: { name: 'Boğaziçi Ticaret', subscriptions: [{ status: 'TRIALING' }] } });
  });

  it("refuses another organisation's data with FORBIDDEN", async () => {
    const token = await logIn(fixture.customerEmail, fixture.password);
    const response = await graphql(gw, `query($id: ID!) { organization(id: $id) { name } }`, { token, variables: { id: fixture.orgB } });
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(response.data?.organization ?? null).toBeNull();
  });
});

describe('authentication', () => {
  const query = `{ me { email } plans { code } }`;

  it('rejects a malformed token with UNAUTHENTICATED and no data', async () => {
    const response = await graphql(gw, query, { token: 'not-a-jwt' });
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data).toBeUndefined();
  });

  it('rejects a well-formed token signed by someone else', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT({ kind: 'operator', opr: ['SUPER_ADMIN'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'forged' })
      .setIssuer(config.auth.issuer).setAudience(config.auth.audience).setSubject('000000000000000000000000')
      .setIssuedAt().setExpirationTime('5m').sign(privateKey);
    const response = await graphql(gw, query, { token: forged });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data).toBeUndefined();
  });

  it('has every subgraph verify the token itself, not trust the gateway', async () => {
    for (const [name, url] of Object.entries(stack.subgraphUrls)) {
      const response = await graphql(url, '{ __typename }', { token: 'not-a-jwt' });
      expect(errorCodes(response), name).toEqual(['UNAUTHENTICATED']);
      expect(response.data, name).toBeUndefined();
    }
  });

  it('answers in the caller language and never leaks internals', async () => {
    const wrong = await graphql(gw, LOG_IN, { variables: { email: 'nobody@example.com', password: 'x' }, headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(wrong.data!.logIn.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS', field: ['input', 'password'], message: 'The e-mail address or password is wrong.' }]);
    const tr = await graphql(gw, LOG_IN, { variables: { email: 'nobody@example.com', password: 'x' } });
    expect(tr.data!.logIn.userErrors[0].message).toBe('E-posta adresi ya da parola hatalı.');
    const broken = await graphql(gw, '{ me { ', {});
    expect(errorCodes(broken)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(JSON.stringify(broken)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });
});

describe('infrastructure', () => {
  it('serves liveness and readiness on every service', async () => {
    for (const url of [...Object.values(stack.subgraphUrls), stack.gatewayUrl]) {
      for (const probe of ['/healthz', '/readyz']) {
        const response = await fetch(new URL(probe, url));
        expect(response.status, `${url} ${probe}`).toBe(200);
      }
    }
    expect((await fetch(`${stack.workerHealthUrl}/readyz`)).status).toBe(200);
  });

  it('serves the Temporal UI, and the worker polls its task queue', async () => {
    const ui = await fetch(stack.temporalUiUrl);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<html/i);
    const client = await connectTemporalClient(config);
    try {
      const queue = await client.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: TASK_QUEUES.workflows },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
      expect(queue.pollers.length).toBeGreaterThan(0);
    } finally {
      await client.connection.close();
    }
  });

  it('delivers e-mail durably through a workflow into the mail catcher over SMTP', async () => {
    const client = await connectTemporalClient(config);
    const key = randomUUID();
    try {
      const handle = await client.workflow.start('sendEmailWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: emailWorkflowId(key),
        args: [{ to: 'ayse@example.com', subject: `Hoş geldiniz ${key}`, text: 'Merhaba Ayşe' }],
      });
      const result = (await handle.result()) as { messageId: string };
      expect(result.messageId).toContain(key);
    } finally {
      await client.connection.close();
    }
    const mail = await waitForEmail(stack.mailCatcherUrl, (m) => m.subject === `Hoş geldiniz ${key}`);
    expect(mail.to[0]!.address).toBe('ayse@example.com');
    expect(mail.text.trim()).toBe('Merhaba Ayşe');
  });
});
