// Set-up the browser tests do through the API, as an operator would.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { E2E_OPERATOR } from '../e2e/stack-info.ts';
import { LOG_IN } from './accounts.ts';
import { graphql } from './graphql.ts';

export async function operatorToken(gatewayUrl: string): Promise<string> {
  const response = await graphql(gatewayUrl, LOG_IN, { variables: { email: E2E_OPERATOR.email, password: E2E_OPERATOR.password } });
  const token = response.data?.logIn.accessToken as string | undefined;
  expect(token, 'the e2e operator signs in').toBeTruthy();
  return token!;
}

/**
 * A plan on a seconds-long bank-transfer policy, so a trial ends, an invoice
 * falls due and goes overdue within a test (as tests/e2e/billing.test.ts does).
 */
export async function secondsPlan(gatewayUrl: string, token: string, options: { trial: boolean; collection?: 'BANK_TRANSFER' | 'CARD_AUTO' }) {
  const suffix = randomUUID().slice(0, 8);
  const collection = options.collection ?? 'BANK_TRANSFER';
  const policy = {
    code: `web-seconds-${suffix}`,
    name: 'Web seconds policy',
    seedReference: 'e2e',
    trialPeriod: options.trial ? 'PT6S' : null,
    trialRequiresPaymentMethod: false,
    billingPeriod: 'PT1H',
    collectionMethod: collection,
    paymentDueAfter: collection === 'BANK_TRANSFER' ? 'PT3S' : null,
    maxCollectionAttempts: 3,
    retryInterval: 'PT10M',
    suspendAfter: collection === 'CARD_AUTO' ? 'PT2S' : 'PT10M',
    terminateAfter: 'PT30M',
    dataDeletionAfterTermination: 'P30D',
    cancellationNotice: 'PT0S',
    termsChangeNotice: 'PT0S',
  };
  const created = await graphql(gatewayUrl, 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { token, variables: { input: policy } });
  expect(created.errors).toBeUndefined();
  const plan = { code: `WEB-${suffix}`.toUpperCase(), name: `Web plan ${suffix}`, policyCode: policy.code, prices: [{ currency: 'TRY', amountMinor: 990_00 }] };
  const planned = await graphql(gatewayUrl, 'mutation($input: PlanInput!) { createPlan(input: $input) { id code name } }', { token, variables: { input: plan } });
  expect(planned.errors).toBeUndefined();
  return { code: plan.code, name: plan.name };
}

/** The links in a message's text, in order. */
export const linksIn = (text: string): string[] => [...text.matchAll(/https?:\/\/[^\s<>"')]+/g)].map((m) => m[0].replace(/[.,;]+$/, ''));

/** A random VKN with a valid check digit, so a search by it finds one organisation. */
export function randomVkn(): string {
  const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10)));
  let sum = 0;
  digits.forEach((digit, i) => {
    const c1 = (digit + 9 - i) % 10;
    let c2 = (c1 * 2 ** (9 - i)) % 9;
    if (c1 !== 0 && c2 === 0) c2 = 9;
    sum += c2;
  });
  return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
}

/** How the front writes a time (en, Europe/Istanbul), to find an API time on a page. */
export const shownAsInEnglish = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Istanbul' }).format(new Date(iso));
