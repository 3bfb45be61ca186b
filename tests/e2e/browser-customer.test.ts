// Issue 14: the customer portal in a real browser (Debian's Chromium through
// playwright-core) on the e2e stack, every page checked with axe-core.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IDS, uniqueEmail } from '../support/accounts.ts';
import { waitFor } from '../support/billing.ts';
import { expectAccessible, expectHeading, launchBrowser, newContext } from '../support/browser.ts';
import { graphql } from '../support/graphql.ts';
import { waitForEmail } from '../support/mail-catcher.ts';
import { linksIn, operatorToken, secondsPlan } from '../support/web.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const web = stack.webUrl;

let browser: Browser;
let page: Page;
let operator: string;
let plan: { code: string; name: string };
const email = uniqueEmail('portal');
const password = 'Kestane-Bal-Ormani-42';

const textbox = (name: string) => page.getByRole('textbox', { name: new RegExp(`^${name}`) });

beforeAll(async () => {
  operator = await operatorToken(gw);
  plan = await secondsPlan(gw, operator, { trial: true });
  browser = await launchBrowser();
  page = await (await newContext(browser, 'en-US')).newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('customer journey in the portal (issue 14)', () => {
  it('signs up with a VKN, showing the API field error beside the field first (ACC-1)', async () => {
    await page.goto(`${web}/sign-up`);
    await expectHeading(page, 'Create an account');
    await textbox('First name').fill('Ayşe');
    await textbox('Last name').fill('Demir');
    await textbox('E-mail').fill(email);
    await textbox('Phone').fill('0532 123 45 67');
    await page.getByLabel(/^Password/).fill(password);
    await textbox('Company name').fill('Demir Yazılım A.Ş.');
    await textbox('Tax number').fill('1234567891'); // checksum wrong
    await textbox('Tax office').fill('Kadıköy');
    await textbox('Billing address').fill('Bağdat Cd. No: 1');
    await textbox('City').fill('İstanbul');
    await page.getByRole('checkbox', { name: 'I am 18 or older' }).check();
    await page.getByRole('checkbox', { name: 'I may bind the company' }).check();
    await page.getByRole('checkbox', { name: /I have read and accept/ }).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    const taxId = textbox('Tax number');
    await expect.poll(() => taxId.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await taxId.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy!.split(' ').find((id) => id.endsWith('-error'))}"]`).innerText()).toMatch(/VKN/);
    await expectAccessible(page, 'sign-up with a field error');

    await taxId.fill(IDS.vkn);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`We sent a verification link to ${email}`).waitFor();
  });

  it('opens the verification link from the mail catcher, which signs the person in', async () => {
    const mail = await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === email) && /doğrulayın|Verify/.test(m.subject));
    const link = linksIn(mail.text).find((l) => l.includes('/verify-email?token='));
    expect(link?.startsWith(`${web}/verify-email?`)).toBe(true);
    await page.goto(link!);
    await page.getByText('Your e-mail address is verified').waitFor();
    await expectAccessible(page, 'verify e-mail');
  });

  it('signs out and in again', async () => {
    await page.goto(`${web}/portal/account`);
    await expectHeading(page, 'My account');
    await page.getByTestId('sessions').getByText('this session').waitFor();
    await expectAccessible(page, 'my account');
    await page.getByRole('button', { name: 'Sign out of this session' }).click();
    await expectHeading(page, 'Sign in');
    await expectAccessible(page, 'sign-in');
    await textbox('E-mail').fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectHeading(page, 'Subscriptions');
  });

  it('starts a trial and shows the workflow’s timeline, with what comes next', async () => {
    const card = page.locator('.mantine-Card-root', { hasText: plan.name });
    await card.getByRole('button', { name: 'Start trial' }).click();
    const subscription = page.getByTestId('subscription');
    await subscription.getByText('TRIALING').waitFor();
    await subscription.locator('[data-upcoming="true"]').first().waitFor({ timeout: 15_000 });
    await expectAccessible(page, 'subscriptions with a trial');
    // [003 §7.2.2] The customer subscribes during the trial (issue 12's confirmSubscription).
    await subscription.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.getByText('Your subscription is confirmed.').waitFor();
  });

  it('downloads the invoice PDF once the trial has converted', async () => {
    await page.goto(`${web}/portal/billing`);
    await expectHeading(page, 'Invoices and balance');
    await waitFor(
      async () => {
        await page.reload();
        await expectHeading(page, 'Invoices and balance');
        return page.getByTestId('invoice-row').count();
      },
      (rows) => rows > 0,
      30_000,
      1_000,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Download .* PDF$/ }).first().click()]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await expectAccessible(page, 'invoices');
  });

  it('shows a credit note an operator issued on a paid invoice, with its PDF (issue 15)', async () => {
    const number = (await page.getByTestId('invoice-row').first().locator('td').first().innerText()).trim();
    const found = await graphql(gw, 'query($n: String) { operatorInvoices(number: $n, first: 1) { edges { node { id } } } }', { token: operator, variables: { n: number } });
    const invoiceId = found.data!.operatorInvoices.edges[0].node.id as string;
    const paid = await graphql(gw, 'mutation($id: ID!) { recordInvoicePayment(invoiceId: $id, reference: "EFT-web-1") { userErrors { code } } }', { token: operator, variables: { id: invoiceId } });
    expect(paid.data!.recordInvoicePayment.userErrors).toEqual([]);
    const credited = await graphql(gw, 'mutation($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { creditNote { number } userErrors { code } } }', {
      token: operator,
      variables: { input: { invoiceId, amountMinor: 100_00, reason: 'Goodwill', idempotencyKey: `web-${invoiceId}` } },
    });
    expect(credited.data!.issueCreditNote.userErrors).toEqual([]);
    const noteNumber = credited.data!.issueCreditNote.creditNote.number as string;
    await page.reload();
    const note = page.getByTestId('credit-note');
    await note.getByText(`Credit note ${noteNumber}`, { exact: false }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), note.getByRole('button', { name: `Download ${noteNumber} PDF` }).click()]);
    expect(readFileSync((await download.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await expectAccessible(page, 'invoices with a credit note');
  });

  it('opens a ticket and attaches a file', async () => {
    await page.goto(`${web}/portal/support`);
    await expectHeading(page, 'Support');
    await textbox('Subject').fill('Fatura adresi');
    await page.getByRole('textbox', { name: /^Description/ }).fill('Fatura adresimizi güncellemek istiyoruz.');
    await expectAccessible(page, 'support');
    await page.getByRole('button', { name: 'Open ticket' }).click();
    await expectHeading(page, /Fatura adresi/);
    await page.locator('input[type=file]').setInputFiles({ name: 'adres.txt', mimeType: 'text/plain', buffer: Buffer.from('Yeni adres: Moda Cd. 5, Kadıköy') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByTestId('attachment').getByRole('button', { name: 'Download adres.txt' }).waitFor();
    await expectAccessible(page, 'ticket');
  });

  it('withdraws marketing consent and files a KVKK access request with its 30-day deadline', async () => {
    await page.goto(`${web}/portal/privacy`);
    await expectHeading(page, 'Privacy and KVKK');
    const marketing = page.getByRole('switch', { name: 'marketing EMAIL' });
    await marketing.check();
    await expect.poll(() => marketing.isChecked()).toBe(true);
    // The switch is held while a change is saved, so the second flip waits for the first.
    await marketing.uncheck();
    await expect.poll(() => marketing.isChecked()).toBe(false);
    await expect.poll(() => marketing.isEnabled()).toBe(true);
    await expect.poll(() => marketing.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Submit request' }).click();
    const row = page.getByTestId('dsr-table').getByRole('row', { name: /A copy of my data/ });
    await row.waitFor();
    await expectAccessible(page, 'privacy');

    const token = (await graphql(gw, 'mutation($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { accessToken } }', { variables: { e: email, p: password } })).data!.logIn.accessToken;
    const mine = await graphql(gw, '{ me { consents { channel purpose granted } dataSubjectRequests { id kind receivedAt dueAt } } }', { token });
    expect(mine.data!.me.consents).toContainEqual({ channel: 'EMAIL', purpose: 'marketing', granted: false });
    const [request] = mine.data!.me.dataSubjectRequests;
    expect(Date.parse(request.dueAt) - Date.parse(request.receivedAt)).toBe(30 * 86_400_000);

    // The DPO verifies and starts it; the export is assembled from every service.
    for (const step of ['verifyDataSubjectRequestIdentity', 'startDataSubjectRequest']) {
      const answer = await graphql(gw, `mutation($id: ID!) { ${step}(id: $id) { userErrors { code } } }`, { token: operator, variables: { id: request.id } });
      expect(answer.data![step].userErrors).toEqual([]);
    }
    await waitFor(
      async () => {
        await page.reload();
        await expectHeading(page, 'Privacy and KVKK');
        return page.getByRole('button', { name: 'Download my data' }).count();
      },
      (buttons) => buttons > 0,
      45_000,
      1_000,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(JSON.stringify(exported)).toContain(email);
  });

  it('shows when a cancellation takes effect before confirming, and the API answers the same date (BIL-7)', async () => {
    await page.goto(`${web}/portal`);
    await expectHeading(page, 'Subscriptions');
    await page.getByTestId('subscription').getByRole('button', { name: 'Cancel' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel the subscription' });
    const preview = (await dialog.getByTestId('cancel-effective').innerText()).replace(/^.*?: /, '');
    expect(preview).not.toBe('—');
    await expectAccessible(page, 'cancellation dialog');
    await dialog.getByTestId('confirm-cancel').click();
    await page.getByText(`Cancellation recorded; effective ${preview}`).waitFor();
  });
});
