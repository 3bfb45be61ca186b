import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { graphql } from './graphql.ts';

/**
 * Polls `read` until `done` holds for what it returned, and returns that value.
 * The timeout only bounds the wait; the caller asserts on what came back.
 */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs}ms; last value: ${JSON.stringify(last)}`);
    await sleep(intervalMs);
    last = await read();
  }
  return last;
}

export const SUBSCRIPTION_FIELDS =
  'id status currency currentPeriodStart currentPeriodEnd cancelAtPeriodEnd cancelEffectiveAt history { at type detail } upcoming { at type detail }';

export interface LifecycleEvent {
  at: string;
  type: string;
  detail: string | null;
}

export interface Subscription {
  id: string;
  status: string;
  currency: string;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  cancelEffectiveAt: string | null;
  history: LifecycleEvent[];
  upcoming: LifecycleEvent[];
}

export interface Invoice {
  id: string;
  number: string;
  status: string;
  subtotal: { amountMinor: number; currency: string };
  tax: { amountMinor: number; currency: string };
  total: { amountMinor: number; currency: string };
  lines: { kind: string; amount: { amountMinor: number } }[];
  pdfUrl: string;
  paidAt: string | null;
}

export const START_SUBSCRIPTION = `mutation($input: StartSubscriptionInput!) {
  startSubscription(input: $input) { subscription { ${SUBSCRIPTION_FIELDS} } userErrors { code field message } }
}`;
export const CANCEL_SUBSCRIPTION = `mutation($id: ID!) { cancelSubscription(id: $id) { subscription { ${SUBSCRIPTION_FIELDS} } userErrors { code field } } }`;
export const SET_PAYMENT_METHOD = 'mutation($o: ID!, $t: String!) { setPaymentMethod(organizationId: $o, paymentMethodToken: $t) { ok userErrors { code field } } }';
const SUBSCRIPTION = `query($id: ID!) { subscription(id: $id) { ${SUBSCRIPTION_FIELDS} } }`;
const INVOICES = `query($o: ID!) { organization(id: $o) { invoices(first: 50) { edges { node {
  id number status subtotal { amountMinor currency } tax { amountMinor currency } total { amountMinor currency }
  lines { kind amount { amountMinor } } pdfUrl paidAt
} } } } }`;
const ORGANIZATION_STATUS = 'query($o: ID!) { organization(id: $o) { status statusHistory { from to reason } } }';

/** The subscription as `token` sees it (null when it may not). */
export async function readSubscription(gatewayUrl: string, token: string, id: string): Promise<Subscription | null> {
  const response = await graphql(gatewayUrl, SUBSCRIPTION, { token, variables: { id } });
  expect(response.errors, 'subscription query').toBeUndefined();
  return response.data!.subscription as Subscription | null;
}

/** The organisation's invoices, newest first. */
export async function readInvoices(gatewayUrl: string, token: string, organizationId: string): Promise<Invoice[]> {
  const response = await graphql(gatewayUrl, INVOICES, { token, variables: { o: organizationId } });
  expect(response.errors, 'invoices query').toBeUndefined();
  return response.data!.organization.invoices.edges.map((edge: { node: Invoice }) => edge.node);
}

export interface OrganizationStatus {
  status: string;
  statusHistory: { from: string | null; to: string; reason: string | null }[];
}

export async function readOrganizationStatus(gatewayUrl: string, token: string, organizationId: string): Promise<OrganizationStatus> {
  const response = await graphql(gatewayUrl, ORGANIZATION_STATUS, { token, variables: { o: organizationId } });
  expect(response.errors, 'organization query').toBeUndefined();
  return response.data!.organization as OrganizationStatus;
}

export const historyTypes = (subscription: Subscription | null) => (subscription?.history ?? []).map((event) => event.type);

/** Whether `expected` appears in `actual` in this order (other entries may come between). */
export function inOrder(actual: readonly string[], expected: readonly string[]): boolean {
  let next = 0;
  for (const item of actual) if (item === expected[next]) next += 1;
  return next === expected.length;
}

/** GET an invoice PDF through the gateway, as a browser download would. */
export async function fetchInvoicePdf(gatewayUrl: string, pdfUrl: string, token?: string) {
  const response = await fetch(new URL(pdfUrl, gatewayUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

/**
 * A card-collected contract policy in seconds instead of months, so a whole
 * life (dunning, suspension, termination, erasure) fits in a test run;
 * `overrides` change any term.
 */
export function secondsPolicy(code: string, name: string, overrides: Record<string, unknown> = {}) {
  return {
    code,
    name,
    seedReference: 'e2e',
    trialRequiresPaymentMethod: false,
    billingPeriod: 'PT20S',
    collectionMethod: 'CARD_AUTO',
    maxCollectionAttempts: 3,
    retryInterval: 'PT2S',
    suspendAfter: 'PT5S',
    terminateAfter: 'PT10S',
    dataDeletionAfterTermination: 'PT0S',
    cancellationNotice: 'PT0S',
    termsChangeNotice: 'PT0S',
    ...overrides,
  };
}
