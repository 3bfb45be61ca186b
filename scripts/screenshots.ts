// Takes the README's screenshots of the portal and the back office with
// headless Chromium against a running platform (`./platform start`):
//   node scripts/screenshots.ts [web URL, default http://127.0.0.1:4005]
// It signs up a demo customer through the API, so run it on a local platform only.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const web = (process.argv[2] ?? 'http://127.0.0.1:4005').replace(/\/$/, '');
const mailCatcher = process.env.MAIL_CATCHER_URL ?? web.replace(/:(\d+)$/, (_, port) => `:${Number(port) + 11}`);
const out = path.resolve(import.meta.dirname, '../docs');
const operator = { email: process.env.BOOTSTRAP_OPERATOR_EMAIL ?? 'operator@omurga.local', password: process.env.BOOTSTRAP_OPERATOR_PASSWORD ?? 'Omurga-Local-Operator-1' };

async function api(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${web}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const email = `demo-${randomUUID().slice(0, 6)}@example.com`;
const password = 'Kestane-Bal-Ormani-42';
const docs = (await api('{ currentLegalDocuments(locale: "en") { id kind } }')).currentLegalDocuments.filter((d: { kind: string }) => ['USER_AGREEMENT', 'INFORMATION_NOTICE'].includes(d.kind));
await api('mutation($input: SignUpInput!) { signUp(input: $input) { userErrors { code } } }', {
  input: {
    firstName: 'Ayşe', lastName: 'Demir', email, password, phone: '0532 123 45 67', companyName: 'Demir Yazılım A.Ş.', customerType: 'CORPORATE', taxId: '1234567890', taxOffice: 'Kadıköy',
    billingAddress: { line1: 'Bağdat Cd. No: 1', city: 'İstanbul', country: 'TR' }, ageConfirmed: true, authorityConfirmed: true, acceptedDocumentVersionIds: docs.map((d: { id: string }) => d.id), locale: 'en',
  },
});
let token = '';
for (let i = 0; i < 40 && !token; i++) {
  const mails = (await (await fetch(`${mailCatcher}/email`)).json()) as { to: { address: string }[]; text: string }[];
  const match = mails.filter((m) => m.to.some((a) => a.address === email)).map((m) => /token=([^\s&]+)/.exec(m.text)).find(Boolean);
  if (match) token = decodeURIComponent(match[1]!);
  else await sleep(250);
}
const session = (await api(`mutation($t: String!) { verifyEmail(token: $t) { accessToken userErrors { message } } }`, { t: token })).verifyEmail;
if (!session.accessToken) throw new Error(`verification failed: ${JSON.stringify(session.userErrors)}`);
const organizationId = (await api('{ me { memberships { organization { id } } } }', {}, session.accessToken)).me.memberships[0].organization.id;
const started = await api('mutation($input: StartSubscriptionInput!) { startSubscription(input: $input) { userErrors { code message } } }', { input: { organizationId, planCode: 'PRO-HUB-MONTHLY', currency: 'TRY' } }, session.accessToken);
if (started.startSubscription.userErrors.length) throw new Error(JSON.stringify(started.startSubscription.userErrors));
await api('mutation($input: OpenTicketInput!) { openTicket(input: $input) { userErrors { code } } }', { input: { organizationId, subject: 'Santral kurulumu', body: 'Kurulum için uygun bir gün önerir misiniz?', department: 'INSTALLATION', priority: 'NORMAL' } }, session.accessToken);

const browser = await chromium.launch({ executablePath: process.env.OMURGA_CHROMIUM_BIN ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } });
const page = await context.newPage();
await page.goto(`${web}/sign-in`);
await page.getByRole('textbox', { name: /^E-mail/ }).fill(email);
await page.getByLabel(/^Password/).fill(password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('heading', { name: 'Subscriptions' }).waitFor();
await page.getByTestId('lifecycle-timeline').first().waitFor({ timeout: 30_000 }).catch(async (error) => {
  await page.screenshot({ path: '/tmp/screenshot-failure.png' });
  throw error;
});
await sleep(1500);
await page.screenshot({ path: path.join(out, 'portal.png') });

const back = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } })).newPage();
await back.goto(`${web}/operator/sign-in`);
await back.getByRole('textbox', { name: /^E-mail/ }).fill(operator.email);
await back.getByLabel(/^Password/).fill(operator.password);
await back.getByRole('button', { name: 'Sign in' }).click();
await back.getByRole('heading', { name: 'Find customers' }).waitFor();
await back.goto(`${web}/operator/organizations/${organizationId}`);
await back.getByTestId('lifecycle-timeline').first().waitFor({ timeout: 30_000 });
await sleep(1000);
await back.screenshot({ path: path.join(out, 'back-office.png') });
await browser.close();
console.log(`wrote ${path.join(out, 'portal.png')} and ${path.join(out, 'back-office.png')}`);
