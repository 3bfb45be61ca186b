// Issue 14: the operator back office in a real browser on the e2e stack —
// search, the 360° view, receivables, recording a transfer, the Temporal UI
// deep link, the DPO board; and a suspended customer who can still pay (ACC-6).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { START_SUBSCRIPTION, readOrganizationStatus, readSubscription, waitFor } from '../support/billing.ts';
import { expectAccessible, expectHeading, launchBrowser, newContext } from '../support/browser.ts';
import { graphql } from '../support/graphql.ts';
import { operatorToken, randomVkn, secondsPlan, shownAsInEnglish } from '../support/web.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const web = stack.webUrl;

let browser: Browser;
let page: Page;
let operator: string;
const vkn = randomVkn();
const companyName = `Vadesi Geçmiş Ltd ${randomUUID().slice(0, 6)}`;
let customer: SignedUp;
let subscriptionId: string;
let invoiceNumber: string;

async function start(owner: SignedUp, planCode: string, paymentMethodToken?: string): Promise<string> {
  const started = await graphql(gw, START_SUBSCRIPTION, { token: owner.accessToken, variables: { input: { organizationId: owner.organizationId, planCode, currency: 'TRY', ...(paymentMethodToken ? { paymentMethodToken } : {}) } } });
  expect(started.data!.startSubscription.userErrors).toEqual([]);
  return started.data!.startSubscription.subscription.id;
}

beforeAll(async () => {
  operator = await operatorToken(gw);
  const plan = await secondsPlan(gw, operator, { trial: false });
  customer = await signUpAndVerify(stack, { customerType: 'CORPORATE', companyName, taxId: vkn, taxOffice: 'Kadıköy', nationalId: null, authorityConfirmed: true });
  subscriptionId = await start(customer, plan.code);
  // A bank-transfer invoice due in seconds: overdue, the subscription PAST_DUE.
  await waitFor(() => readSubscription(gw, operator, subscriptionId), (s) => s?.status === 'PAST_DUE', 40_000, 500);
  const invoices = await graphql(gw, 'query($o: ID!) { operatorInvoices(organizationId: $o, first: 5) { edges { node { number status } } } }', { token: operator, variables: { o: customer.organizationId } });
  invoiceNumber = invoices.data!.operatorInvoices.edges[0].node.number;
  browser = await launchBrowser();
  page = await (await newContext(browser, 'en-US')).newPage();
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

describe('operator journey in the back office (issue 14)', () => {
  it('signs in as an operator and finds the customer by VKN', async () => {
    await page.goto(`${web}/operator`);
    await expectHeading(page, 'Operator sign-in');
    await expectAccessible(page, 'operator sign-in');
    await page.getByRole('textbox', { name: /^E-mail/ }).fill(E2E_OPERATOR.email);
    await page.getByLabel(/^Password/).fill(E2E_OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectHeading(page, 'Find customers');
    await page.getByRole('textbox', { name: /VKN\/TCKN/ }).fill(vkn);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('search-results').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(companyName);
    await expectAccessible(page, 'search');
    await rows.first().getByRole('link', { name: companyName }).click();
    await expectHeading(page, companyName);
    await page.getByTestId('operator-subscription').getByText('PAST_DUE').waitFor();
    await expectAccessible(page, '360° view');
  });

  it('shows the overdue invoice on the receivables board', async () => {
    await page.getByRole('link', { name: 'Receivables' }).click();
    await expectHeading(page, 'Receivables');
    const row = page.getByTestId('receivables').getByRole('row', { name: new RegExp(invoiceNumber) });
    await row.waitFor();
    expect(await row.innerText()).toContain(companyName);
    await expectAccessible(page, 'receivables');
  });

  it('records the bank transfer with a reason, and the subscription leaves PAST_DUE', async () => {
    await page.getByTestId('receivables').getByRole('link', { name: companyName }).click();
    await expectHeading(page, companyName);
    await page.getByRole('tab', { name: 'Invoices and payments' }).click();
    await page.getByRole('row', { name: new RegExp(invoiceNumber) }).getByRole('button', { name: 'Record transfer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record transfer' });
    await dialog.getByRole('textbox', { name: /^Reason/ }).fill('EFT 2026-12-07 ref 88412');
    await expectAccessible(page, 'record transfer dialog');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const after = await waitFor(() => readSubscription(gw, operator, subscriptionId), (s) => s?.status !== 'PAST_DUE', 20_000, 500);
    expect(after!.status).toBe('ACTIVE');
    await page.reload();
    await page.getByTestId('operator-subscription').getByText('ACTIVE').waitFor();
    await page.getByRole('tab', { name: 'Invoices and payments' }).click();
    await page.getByRole('row', { name: new RegExp(invoiceNumber) }).getByText('EFT 2026-12-07 ref 88412').waitFor();
    await page.getByRole('tab', { name: 'Subscriptions' }).click();
  });

  it('issues a credit note for the rest of the paid invoice, with a reason (issue 15)', async () => {
    await page.getByRole('tab', { name: 'Invoices and payments' }).click();
    await page.getByRole('row', { name: new RegExp(invoiceNumber) }).getByRole('button', { name: 'Credit note for the rest' }).click();
    const dialog = page.getByRole('dialog', { name: 'Credit note for the rest' });
    await dialog.getByRole('textbox', { name: /^Reason/ }).fill('Billed for a month not used');
    await expectAccessible(page, 'credit note dialog');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: new RegExp(invoiceNumber) }).getByTestId('operator-credit-note').getByText(/^Credit note IAD\d{13}/).waitFor();
    expect(await page.getByRole('row', { name: new RegExp(invoiceNumber) }).getByRole('button', { name: 'Credit note for the rest' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Subscriptions' }).click();
  });

  it('links the subscription to its workflow in the Temporal UI', async () => {
    const link = page.getByTestId('operator-subscription').getByTestId('temporal-link');
    const href = (await link.getAttribute('href'))!;
    expect(href.startsWith(`${stack.temporalUiUrl}/namespaces/default/workflows?query=`)).toBe(true);
    const ui = await page.context().newPage();
    await ui.goto(href);
    await ui.getByText(`subscription/${subscriptionId}`).first().waitFor({ timeout: 30_000 });
    await ui.close();
  });

  it('shows a KVKK request on the DPO board with its 30-day deadline', async () => {
    const submitted = await graphql(gw, 'mutation { submitDataSubjectRequest(kind: INFORMATION, details: "Hangi verilerim işleniyor?") { request { id receivedAt dueAt } userErrors { code } } }', { token: customer.accessToken });
    const request = submitted.data!.submitDataSubjectRequest.request;
    expect(Date.parse(request.dueAt) - Date.parse(request.receivedAt)).toBe(30 * 86_400_000);
    await page.getByRole('link', { name: 'Data protection (DPO)' }).click();
    await expectHeading(page, 'Data protection (DPO)');
    await expectAccessible(page, 'DPO board');
    await page.getByTestId('dsr-board').getByRole('link', { name: customer.email }).first().click();
    await expectHeading(page, `INFORMATION · ${customer.email}`);
    expect(await page.getByTestId('dsr-due').innerText()).toBe(shownAsInEnglish(request.dueAt));
    await page.getByText(/in 29d 23h|in 30d 0h/).waitFor();
    await expectAccessible(page, 'data-subject request');
  });

  it('opens the support queue and the charts with no accessibility violations', async () => {
    await page.getByRole('link', { name: 'Support queue' }).click();
    await expectHeading(page, 'Support queue');
    await expectAccessible(page, 'support queue');
    await page.getByRole('link', { name: 'Metrics' }).click();
    await expectHeading(page, 'Metrics');
    await page.getByText('MRR / ARR by plan and currency').waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    await expectAccessible(page, 'metrics');
  });
});

/** A customer whose card was declined and whose grace ran out (a seconds-long policy), signed in to the portal at `next`. */
async function suspendedCustomerAt(next: string): Promise<{ owner: SignedUp; portal: Page }> {
  const plan = await secondsPlan(gw, operator, { trial: false, collection: 'CARD_AUTO' });
  const owner = await signUpAndVerify(stack);
  await start(owner, plan.code, 'sandbox_decline');
  await waitFor(() => readOrganizationStatus(gw, operator, owner.organizationId), (o) => o.status === 'SUSPENDED', 40_000, 500);
  const portal = await (await newContext(browser, 'en-US')).newPage();
  await portal.goto(`${web}/sign-in?next=${next}`);
  await portal.getByRole('textbox', { name: /^E-mail/ }).fill(owner.email);
  await portal.getByLabel(/^Password/).fill(owner.password);
  await portal.getByRole('button', { name: 'Sign in' }).click();
  return { owner, portal };
}

describe('a suspended customer (ACC-6)', () => {
  it('still opens the invoices page and pays by card, which lifts the suspension', async () => {
    const { owner, portal } = await suspendedCustomerAt('/portal');
    await portal.getByText('Your account is suspended.', { exact: false }).waitFor();
    await portal.getByRole('link', { name: 'Invoices and balance' }).click();
    await expectHeading(portal, 'Invoices and balance');
    await portal.getByTestId('invoice-row').first().waitFor();
    await expectAccessible(portal, 'invoices while suspended');
    await portal.getByRole('textbox', { name: 'Card token' }).fill('sandbox_ok');
    await portal.getByRole('button', { name: 'Pay by card' }).click();
    await portal.getByText('The payment is being taken.').waitFor();
    const reinstated = await waitFor(() => readOrganizationStatus(gw, operator, owner.organizationId), (o) => o.status === 'ACTIVE', 30_000, 500);
    expect(reinstated.status).toBe('ACTIVE');
    await portal.reload();
    await portal.getByTestId('invoice-row').getByText('PAID').first().waitFor();
    await portal.close();
  });

  it('still files a KVKK request and exports the organisation’s data', async () => {
    const { owner, portal } = await suspendedCustomerAt('/portal/privacy');
    await expectHeading(portal, 'Privacy and KVKK');
    await portal.getByRole('button', { name: 'Submit request' }).click();
    await portal.getByTestId('dsr-table').getByRole('row', { name: /A copy of my data/ }).waitFor();
    await portal.getByRole('button', { name: 'Request an export' }).click();
    await waitFor(
      async () => {
        await portal.reload();
        await expectHeading(portal, 'Privacy and KVKK');
        return portal.getByRole('button', { name: 'Download', exact: true }).count();
      },
      (buttons) => buttons > 0,
      45_000,
      1_000,
    );
    const [download] = await Promise.all([portal.waitForEvent('download'), portal.getByRole('button', { name: 'Download', exact: true }).first().click()]);
    expect(JSON.stringify(JSON.parse(readFileSync((await download.path())!, 'utf8')))).toContain(owner.organizationId);
    await expectAccessible(portal, 'privacy while suspended');
    await portal.close();
  });
});
