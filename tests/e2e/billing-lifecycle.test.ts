// Issue 12 end to end: the lifecycle core driving real subscriptions on the
// dev server (Temporal, FerretDB, MailDev, the gateway), with seconds-long
// policies an operator creates. Each scenario runs side by side from beforeAll.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@omurga/shared';
import { ORGANIZATION_STANDING_WORKFLOW, TASK_QUEUES, organizationStandingWorkflowId, type OrganizationStandingChange } from '@omurga/shared/contracts';
import { platformDataConverter } from '@omurga/shared/temporal';
import { clientIp, LOG_IN, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { CANCEL_SUBSCRIPTION, START_SUBSCRIPTION, SUBSCRIPTION_FIELDS, historyTypes, readSubscription, waitFor, type Subscription } from '../support/billing.ts';
import { graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const config = loadConfig({ ...process.env, ...stack.env });
const suffix = randomUUID().slice(0, 8);

const BASE = {
  name: 'E2E lifecycle policy',
  seedReference: 'issue 12',
  trialRequiresPaymentMethod: false,
  maxCollectionAttempts: 1,
  retryInterval: 'PT1S',
  dataDeletionAfterTermination: 'PT0S',
  cancellationNotice: 'PT0S',
  termsChangeNotice: 'PT0S',
};
/** Bank transfer: due 6 s after issue, suspended at the due time, a period of 25 s. */
const TRANSFER = { ...BASE, code: `e2e-transfer-${suffix}`, billingPeriod: 'PT25S', collectionMethod: 'BANK_TRANSFER', paymentDueAfter: 'PT6S', suspendAfter: 'PT0S', terminateAfter: 'PT120S' };
/** Card, 12-second periods. */
const CARD = { ...BASE, code: `e2e-card-${suffix}`, billingPeriod: 'PT12S', collectionMethod: 'CARD_AUTO', suspendAfter: 'PT5S', terminateAfter: 'PT20S' };
/** [003] a trial that ends unless the customer subscribes; one per organisation. */
const TRIAL = {
  ...BASE,
  code: `e2e-trial-${suffix}`,
  trialPeriod: 'PT5S',
  trialEndAction: 'CANCEL_UNLESS_CONFIRMED',
  oneTrialPerOrganization: true,
  billingPeriod: 'PT60S',
  collectionMethod: 'BANK_TRANSFER',
  paymentDueAfter: 'PT60S',
  suspendAfter: 'PT0S',
};
/** [004 §6.2] prepaid minutes drawn from a balance. */
const PREPAID = { ...TRANSFER, code: `e2e-prepaid-${suffix}`, billingPeriod: 'PT15S', paymentDueAfter: 'PT60S' };
/** [001 §5.3.1] a late fee after a seconds-long grace. */
const LATE = { ...TRANSFER, code: `e2e-late-${suffix}`, billingPeriod: 'PT20S', paymentDueAfter: 'PT30S', suspendAfter: 'PT60S', lateFeeGrace: 'PT5S', lateFees: [{ amountMinor: 15_000, currency: 'TRY' }] };

const plan = (policy: { code: string }, code: string) => ({ code: `${code}-${suffix}`, name: code, policyCode: policy.code, prices: [{ currency: 'TRY', amountMinor: 100_00 }] });
const PLANS = {
  transfer: plan(TRANSFER, 'E2E-TRANSFER'),
  card: plan(CARD, 'E2E-CARD'),
  trial: plan(TRIAL, 'E2E-TRIAL'),
  trialOther: plan(TRIAL, 'E2E-TRIAL-OTHER'),
  late: plan(LATE, 'E2E-LATE'),
  prepaid: {
    ...plan(PREPAID, 'E2E-PREPAID'),
    meters: [{ code: 'MINUTES', name: 'Call minutes', unit: 'min', unitPrices: [{ currency: 'TRY', amountMicros: 500_000 }], prepaid: true }],
    prepaidMinimums: [{ currency: 'TRY', amountMinor: 10_00 }],
  },
};

const CREATE_POLICY = 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id code } }';
const CREATE_PLAN = 'mutation($input: PlanInput!) { createPlan(input: $input) { id code } }';
const CONFIRM = `mutation($id: ID!, $plan: String) { confirmSubscription(id: $id, planCode: $plan) { subscription { ${SUBSCRIPTION_FIELDS} trialEndsAt } userErrors { code field } } }`;
const RECORD_PAYMENT = 'mutation($id: ID!, $ref: String!) { recordInvoicePayment(invoiceId: $id, reference: $ref) { invoice { status paidAt } userErrors { code } } }';
const TOP_UP = 'mutation($o: ID!, $amount: PriceInput!, $ref: String!) { topUpPrepaidBalance(organizationId: $o, amount: $amount, reference: $ref) { balance { currency amountMicros } userErrors { code field } } }';
const RECORD_USAGE = 'mutation($input: UsageInput!) { recordUsage(input: $input) { usage { id } userErrors { code } } }';
const TERMINATE = 'mutation($id: ID!, $reason: String!) { terminateOrganization(id: $id, reason: $reason) { status } }';
const INVOICES = `query($o: ID!) { organization(id: $o) { invoices(first: 50) { edges { node {
  id number status dueAt paidAt subtotal { amountMinor } tax { amountMinor } total { amountMinor } lines { kind code amount { amountMinor } }
} } } } }`;

interface Invoice {
  id: string;
  number: string;
  status: string;
  dueAt: string;
  paidAt: string | null;
  subtotal: { amountMinor: number };
  tax: { amountMinor: number };
  lines: { kind: string; code: string; amount: { amountMinor: number } }[];
}

let operatorToken: string;
let temporal: Client;

/** The organisation's invoices, oldest first, as a billing operator sees them (a terminated organisation's are restricted to operators). */
async function invoicesOf(customer: SignedUp): Promise<Invoice[]> {
  const response = await graphql(gw, INVOICES, { token: operatorToken, variables: { o: customer.organizationId } });
  expect(response.errors).toBeUndefined();
  return (response.data!.organization.invoices.edges as { node: Invoice }[]).map((e) => e.node).sort((a, b) => a.number.localeCompare(b.number));
}

async function subscribe(customer: SignedUp, planCode: string, paymentMethodToken?: string): Promise<{ subscription: Subscription & { trialEndsAt?: string }; userErrors: { code: string }[] }> {
  const response = await graphql(gw, START_SUBSCRIPTION.replace('upcoming {', 'trialEndsAt upcoming {'), {
    token: customer.accessToken,
    variables: { input: { organizationId: customer.organizationId, planCode, currency: 'TRY', ...(paymentMethodToken ? { paymentMethodToken } : {}) } },
  });
  expect(response.errors).toBeUndefined();
  return response.data!.startSubscription;
}

async function recordPayment(invoiceId: string): Promise<void> {
  const response = await graphql(gw, RECORD_PAYMENT, { token: operatorToken, variables: { id: invoiceId, ref: `EFT-${randomUUID()}` } });
  expect(response.errors).toBeUndefined();
  expect(response.data!.recordInvoicePayment.userErrors).toEqual([]);
}

const firstInvoice = (customer: SignedUp) => waitFor(() => invoicesOf(customer), (list) => list.length > 0, 20_000).then((list) => list[0]!);

beforeAll(async () => {
  const login = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = login.data!.logIn.accessToken;
  for (const policy of [TRANSFER, CARD, TRIAL, LATE, PREPAID]) {
    const created = await graphql(gw, CREATE_POLICY, { token: operatorToken, variables: { input: policy } });
    expect(created.errors, policy.code).toBeUndefined();
  }
  for (const input of Object.values(PLANS)) {
    const created = await graphql(gw, CREATE_PLAN, { token: operatorToken, variables: { input } });
    expect(created.errors, input.code).toBeUndefined();
  }
  temporal = new Client({ connection: await Connection.connect({ address: config.temporal.address }), namespace: config.temporal.namespace, dataConverter: platformDataConverter(config) });
}, 60_000);

afterAll(async () => {
  await temporal?.connection.close();
});

describe('issue 12 on the real stack', () => {
  it('a bank-transfer payment recorded at due −400 ms, 0, +150, +400, +800 and +1500 ms: each subscription renews, none fails', async () => {
    const offsets = [-400, 0, 150, 400, 800, 1500];
    const runs = await Promise.all(
      offsets.map(async (offset) => {
        const customer = await signUpAndVerify(stack);
        const { subscription, userErrors } = await subscribe(customer, PLANS.transfer.code);
        expect(userErrors).toEqual([]);
        const invoice = await firstInvoice(customer);
        await sleep(Math.max(0, Date.parse(invoice.dueAt) + offset - Date.now()));
        await recordPayment(invoice.id);
        return { offset, customer, subscription, periodEnd: Date.parse(subscription.currentPeriodEnd!) };
      }),
    );
    for (const { offset, customer, subscription, periodEnd } of runs) {
      const renewed = await waitFor(() => readSubscription(gw, customer.accessToken, subscription.id), (s) => historyTypes(s).includes('PERIOD_STARTED'), Math.max(5_000, periodEnd - Date.now() + 10_000));
      expect(renewed!.status, `offset ${offset}`).toBe('ACTIVE');
      const description = await temporal.workflow.getHandle(`subscription/${subscription.id}`).describe();
      expect(description.status.name, `offset ${offset}`).toBe('RUNNING');
      const invoices = await waitFor(() => invoicesOf(customer), (list) => list.length === 2, 5_000);
      expect(invoices.map((i) => i.status), `offset ${offset}`).toEqual(['PAID', 'OPEN']);
    }
  }, 90_000);

  it('an operator termination of an ACTIVE card subscription: no invoice after it, and the subscription is TERMINATED', async () => {
    const customer = await signUpAndVerify(stack);
    const { subscription } = await subscribe(customer, PLANS.card.code, 'sandbox_ok');
    await waitFor(() => readSubscription(gw, customer.accessToken, subscription.id), (s) => historyTypes(s).includes('INVOICE_PAID'), 20_000);
    const terminated = await graphql(gw, TERMINATE, { token: operatorToken, variables: { id: customer.organizationId, reason: 'ABUSE' } });
    expect(terminated.data!.terminateOrganization.status).toBe('TERMINATED');
    // The billing entry point accounts calls; started here as well, so the test does not depend on accounts' wiring (idempotent by ID).
    const change: OrganizationStandingChange = { organizationId: customer.organizationId, standing: 'TERMINATED', reason: 'ABUSE', at: new Date().toISOString(), actor: 'e2e' };
    await temporal.workflow
      .start(ORGANIZATION_STANDING_WORKFLOW, { taskQueue: TASK_QUEUES.workflows, workflowId: organizationStandingWorkflowId(customer.organizationId, `e2e-${suffix}`), args: [change] })
      .catch(() => undefined);
    const ended = await waitFor(() => readSubscription(gw, operatorToken, subscription.id), (s) => s?.status === 'TERMINATED', 10_000);
    expect(ended!.upcoming).toEqual([]);
    const count = (await invoicesOf(customer)).length;
    await sleep(15_000); // longer than a period
    expect((await invoicesOf(customer)).length).toBe(count);
  }, 60_000);

  it('a 003 trial confirmed on its plan answers at once, becomes ACTIVE at the trial end and is invoiced; a second trial is refused', async () => {
    const customer = await signUpAndVerify(stack);
    const started = await subscribe(customer, PLANS.trial.code);
    expect(started.userErrors).toEqual([]);
    // Read your writes: the state the start caused.
    expect(started.subscription.status).toBe('TRIALING');
    expect(started.subscription.trialEndsAt).toBe(started.subscription.currentPeriodEnd);
    expect(started.subscription.upcoming).toEqual([{ at: started.subscription.trialEndsAt, type: 'TRIAL_END', detail: 'ends unless subscribed' }]);

    const second = await subscribe(customer, PLANS.trialOther.code);
    expect(second.userErrors.map((e) => e.code)).toEqual(['TRIAL_IN_PROGRESS']);

    const confirmed = await graphql(gw, CONFIRM, { token: customer.accessToken, variables: { id: started.subscription.id } });
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data!.confirmSubscription.userErrors).toEqual([]);
    expect(confirmed.data!.confirmSubscription.subscription.upcoming).toEqual([{ at: started.subscription.trialEndsAt, type: 'TRIAL_END', detail: `converts to ${PLANS.trial.code}` }]);

    const active = await waitFor(() => readSubscription(gw, customer.accessToken, started.subscription.id), (s) => s?.status === 'ACTIVE', 15_000);
    expect(historyTypes(active)).toContain('TRIAL_CONVERTED');
    expect((await firstInvoice(customer)).lines[0]!.code).toBe(PLANS.trial.code);

    // One trial per organisation, ever (the policy says so): after it, no new one.
    const again = await subscribe(customer, PLANS.trialOther.code);
    expect(again.userErrors.map((e) => e.code)).toEqual(['TRIAL_ALREADY_USED']);

    // Read your writes: once the invoice is paid, a cancellation answers with the end it scheduled in `upcoming`.
    await recordPayment((await firstInvoice(customer)).id);
    await waitFor(() => readSubscription(gw, customer.accessToken, started.subscription.id), (s) => historyTypes(s).includes('INVOICE_PAID'), 10_000);
    const canceled = await graphql(gw, CANCEL_SUBSCRIPTION, { token: customer.accessToken, variables: { id: started.subscription.id } });
    const answer = canceled.data!.cancelSubscription.subscription as Subscription;
    expect(answer.upcoming).toEqual([{ at: answer.currentPeriodEnd, type: 'CANCELLATION', detail: 'at period end' }]);
  }, 60_000);

  it('a payment 2 hours late under a policy with a late fee (5 s grace) gets the fee on the next invoice [001 §5.3.1]', async () => {
    const customer = await signUpAndVerify(stack);
    const { subscription } = await subscribe(customer, PLANS.late.code);
    const invoice = await firstInvoice(customer);
    // The invoice fell due two hours ago (moved in the database: the stack's clock cannot wait two hours).
    const db = await mongoose.createConnection(stack.env.MONGODB_URI!, { dbName: `${config.mongo.dbPrefix}billing` }).asPromise();
    try {
      await db.collection('invoices').updateOne({ _id: new mongoose.Types.ObjectId(invoice.id) }, { $set: { dueAt: new Date(Date.now() - 2 * 3_600_000) } });
    } finally {
      await db.close();
    }
    await recordPayment(invoice.id);
    const next = await waitFor(() => invoicesOf(customer), (list) => list.length > 1, Date.parse(subscription.currentPeriodEnd!) - Date.now() + 15_000);
    const fee = next[1]!.lines.find((l) => l.kind === 'LATE_FEE');
    expect(fee?.amount.amountMinor).toBe(15_000);
    expect(next[1]!.tax.amountMinor).toBe(Math.round(next[1]!.subtotal.amountMinor * 0.2));
  }, 60_000);

  it('a prepaid usage record appears on the next invoice with KDV, credited from the balance; a top-up in another currency is refused [004 §6.2]', async () => {
    const customer = await signUpAndVerify(stack);
    const { subscription } = await subscribe(customer, PLANS.prepaid.code);
    const wrong = await graphql(gw, TOP_UP, { token: operatorToken, variables: { o: customer.organizationId, amount: { currency: 'USD', amountMinor: 100_00 }, ref: `TOPUP-${suffix}-usd` } });
    expect(wrong.data!.topUpPrepaidBalance.userErrors).toEqual([{ code: 'CURRENCY_MISMATCH', field: ['amount', 'currency'] }]);
    const topUp = await graphql(gw, TOP_UP, { token: operatorToken, variables: { o: customer.organizationId, amount: { currency: 'TRY', amountMinor: 100_00 }, ref: `TOPUP-${customer.organizationId}` } });
    expect(topUp.data!.topUpPrepaidBalance.userErrors).toEqual([]);
    // The period's invoice is paid, so the period ends on time and the next invoice bills the minutes.
    await recordPayment((await firstInvoice(customer)).id);
    const usage = await graphql(gw, RECORD_USAGE, { token: customer.accessToken, variables: { input: { subscriptionId: subscription.id, meterCode: 'MINUTES', quantity: 10, eventId: `call-${suffix}` } } });
    expect(usage.data!.recordUsage.userErrors).toEqual([]);
    const invoices = await waitFor(() => invoicesOf(customer), (list) => list.length > 1, Date.parse(subscription.currentPeriodEnd!) - Date.now() + 15_000);
    const next = invoices[1]!;
    expect(next.lines.filter((l) => l.code === 'MINUTES').map((l) => [l.kind, l.amount.amountMinor])).toEqual([
      ['USAGE', 5_00],
      ['PREPAID_APPLIED', -5_00],
    ]);
    expect(next.subtotal.amountMinor).toBe(100_00 + 5_00);
    expect(next.tax.amountMinor).toBe(21_00); // KDV 20 % on the plan and the minutes
  }, 60_000);
});
