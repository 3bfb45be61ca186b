// Issue 14: every link the platform e-mails opens a page of the front, and the
// RFC 8058 one-click unsubscribe POST withdraws consent with no sign-in.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUpAndVerify, uniqueEmail, type SignedUp } from '../support/accounts.ts';
import { expectAccessible, launchBrowser, newContext } from '../support/browser.ts';
import { graphql } from '../support/graphql.ts';
import { waitForEmail, type CaughtEmail } from '../support/mail-catcher.ts';
import { linksIn, operatorToken } from '../support/web.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const web = stack.webUrl;
const HOUR_MS = 3_600_000;

let browser: Browser;
let operator: string;
let owner: SignedUp;
let unsubscribeLink: string;

const mailTo = (address: string, subject: RegExp) => waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === address) && subject.test(m.subject));

beforeAll(async () => {
  operator = await operatorToken(gw);
  owner = await signUpAndVerify(stack);
  const consent = await graphql(gw, 'mutation { setConsent(channel: EMAIL, purpose: "surveys", granted: true) { granted } }', { token: owner.accessToken });
  expect(consent.data!.setConsent.granted).toBe(true);
  const sent = await graphql(gw, 'mutation($input: SendCommercialMessageInput!) { sendCommercialMessage(input: $input) { campaignId userErrors { code } } }', {
    token: operator,
    variables: { input: { purpose: 'surveys', subjectTr: 'Memnuniyet anketi', subjectEn: 'Satisfaction survey', bodyTr: 'Görüşünüzü bekliyoruz.', bodyEn: 'Tell us what you think.' } },
  });
  expect(sent.data!.sendCommercialMessage.userErrors).toEqual([]);
  const survey = await mailTo(owner.email, /Memnuniyet anketi|Satisfaction survey/);
  unsubscribeLink = /<([^>]+)>/.exec(survey.headers['list-unsubscribe'] ?? '')![1]!;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('one-click unsubscribe (RFC 8058, CON-3)', () => {
  it('advertises a POST to the front, and that POST withdraws the consent without signing in', async () => {
    expect(unsubscribeLink.startsWith(`${web}/unsubscribe?token=`)).toBe(true);
    const response = await fetch(unsubscribeLink, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(response.status).toBe(200);
    const consents = await graphql(gw, '{ me { consents { channel purpose granted } } }', { token: owner.accessToken });
    expect(consents.data!.me.consents).toContainEqual({ channel: 'EMAIL', purpose: 'surveys', granted: false });
    const history = await graphql(gw, '{ consentHistory { purpose granted source } }', { token: owner.accessToken });
    expect(history.data!.consentHistory.at(-1)).toEqual({ purpose: 'surveys', granted: false, source: 'UNSUBSCRIBE_LINK' });
  });

  it('refuses a forged token with 400 and changes nothing', async () => {
    const response = await fetch(`${web}/unsubscribe?token=forged.token`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(/\n\s+at /);
  });
});

describe('e-mailed links (issue 14)', () => {
  it('opens a page of the front for every link in every e-mail the platform sent', async () => {
    // Make the platform send each kind of linked e-mail at least once.
    const invitee = uniqueEmail('invitee');
    expect((await graphql(gw, 'mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: READ_ONLY) }', { token: owner.accessToken, variables: { o: owner.organizationId, e: invitee } })).data!.inviteMember).toBe(true);
    await graphql(gw, 'mutation($e: String!) { requestPasswordReset(email: $e) }', { variables: { e: owner.email } });
    const newAddress = uniqueEmail('moved');
    await graphql(gw, 'mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, password: $p) { ok } }', { token: owner.accessToken, variables: { e: newAddress, p: owner.password } });
    // A processor breach detected 30 h ago: the 24 h customer clock is overdue at once, so the DPOs are e-mailed a link.
    const breach = await graphql(gw, 'mutation($input: ReportBreachInput!) { reportBreach(input: $input) { breach { id } userErrors { code } } }', {
      token: operator,
      variables: { input: { detectedAt: new Date(Date.now() - 30 * HOUR_MS).toISOString(), role: 'PROCESSOR', description: 'E-posta bağlantı testi', affectedOrganizationIds: [owner.organizationId] } },
    });
    const breachId = breach.data!.reportBreach.breach.id;
    await mailTo(invitee, /davet|invites/);
    await mailTo(owner.email, /Parola|password/i);
    await mailTo(newAddress, /onaylayın|Confirm/);
    await waitForEmail(stack.mailCatcherUrl, (m) => m.text.includes(`/operator/breaches/${breachId}`), 30_000);

    const mails = (await (await fetch(`${stack.mailCatcherUrl}/email`)).json()) as CaughtEmail[];
    const links = [...new Set(mails.flatMap((m) => [...linksIn(m.text), ...linksIn(m.headers['list-unsubscribe'] ?? '')]))];
    const foreign = links.filter((l) => !l.startsWith(`${web}/`));
    expect(foreign, 'links that do not point at the front').toEqual([]);
    // One visit per kind of page (ids and tokens differ, the page does not); every link answers with the app.
    const byRoute = new Map<string, string>();
    for (const link of links) byRoute.set(new URL(link).pathname.replace(/[0-9a-f]{24}/g, ':id'), link);
    expect([...byRoute.keys()]).toEqual(expect.arrayContaining(['/verify-email', '/reset-password', '/accept-invitation', '/confirm-email-change', '/unsubscribe', '/operator/breaches/:id']));
    for (const link of links) {
      const response = await fetch(link);
      expect(response.status, link).toBe(200);
      expect(response.headers.get('content-type'), link).toContain('text/html');
    }
    for (const [route, link] of byRoute) {
      const page = await (await newContext(browser, 'tr-TR')).newPage();
      await page.goto(link);
      await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 15_000 });
      const landed = new URL(page.url());
      const path = new URL(link).pathname;
      // A page that needs a session asks for it and comes back: the link still opened its page.
      const signIn = landed.pathname.endsWith('/sign-in') && landed.searchParams.get('next') === path;
      expect(landed.pathname === path || signIn, `${route} landed on ${landed.pathname}${landed.search}`).toBe(true);
      await expectAccessible(page, route);
      await page.context().close();
    }
  });

  it('shows the legal document versions the sign-up links to', async () => {
    const docs = await graphql(gw, '{ currentLegalDocuments(locale: "tr") { id kind body } }');
    const page = await (await newContext(browser, 'tr-TR')).newPage();
    for (const doc of docs.data!.currentLegalDocuments as { id: string; kind: string; body: string }[]) {
      await page.goto(`${web}/legal/${doc.id}`);
      await page.getByTestId('legal-body').waitFor();
      expect(await page.getByTestId('legal-body').innerText()).toBe(doc.body.trim());
    }
    await expectAccessible(page, 'legal document');
    await page.context().close();
  });
});
