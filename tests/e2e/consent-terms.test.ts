// Issue 5 (consent): CON-4 terms changes through the gateway. A DPO operator
// publishes a new version of the user agreement; the rollout workflow e-mails
// everyone bound by the previous version, takes objections (each objector is
// offered a cost-free cancellation) and, when the notice runs out, makes the
// version binding and records a CONTINUED_USE acceptance for everyone else.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOG_IN, clientIp, currentDocumentIds, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { CANCEL_SUBSCRIPTION, START_SUBSCRIPTION, waitFor, type Subscription } from '../support/billing.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { waitForEmail } from '../support/mail-catcher.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;

const VERSION_FIELDS = 'id kind version locale contentHash effectiveAt publishedAt awaitingBinding';
const PUBLISH = `mutation($input: PublishLegalDocumentVersionInput!) {
  publishLegalDocumentVersion(input: $input) { version { ${VERSION_FIELDS} } userErrors { code field message } } }`;
const OBJECT = `mutation($id: ID!) { objectToLegalDocument(documentVersionId: $id) {
  objection { objectedAt cancellationOfferedAt documentVersion { id } } userErrors { code field message } } }`;
const CURRENT = `query($l: String!) { currentLegalDocuments(locale: $l) { id kind version body } }`;
const MINE = `{ me { legalAcceptances { method acceptedAt documentVersion { id } } termsObjections { objectedAt cancellationOfferedAt documentVersion { id version } } } }`;

interface Version {
  id: string;
  kind: string;
  version: number;
  locale: string;
  contentHash: string;
  effectiveAt: string;
  publishedAt: string | null;
  awaitingBinding: boolean;
}

let operatorToken: string;

async function publish(input: Record<string, unknown>, token = operatorToken) {
  return graphql(gw, PUBLISH, { token, variables: { input } });
}

async function current(kind: string, locale = 'tr'): Promise<{ id: string; version: number; body: string } | undefined> {
  const response = await graphql(gw, CURRENT, { variables: { l: locale } });
  return (response.data!.currentLegalDocuments as { id: string; kind: string; version: number; body: string }[]).find((d) => d.kind === kind);
}

async function mine(token: string) {
  const response = await graphql(gw, MINE, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.me as {
    legalAcceptances: { method: string; acceptedAt: string; documentVersion: { id: string } }[];
    termsObjections: { objectedAt: string; cancellationOfferedAt: string | null; documentVersion: { id: string; version: number } }[];
  };
}

/** Polls (the rollout runs in Temporal) until `done` holds; the test's timeout bounds it. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await sleep(250);
  }
}

/**
 * A month-long period with a month's cancellation notice (a policy's notice is
 * at most its period, issue 12): an ordinary cancellation ends the next
 * period, so a waived notice shows [003 §6.4.2].
 * Its terms-change notice is 20 seconds longer than the publication's, so its
 * customers are bound after their own notice (issue 12).
 */
const NOTICE_POLICY = {
  code: `e2e-terms-notice-${Date.now()}`,
  name: 'E2E terms-objection policy',
  seedReference: 'e2e',
  trialRequiresPaymentMethod: false,
  billingPeriod: 'P30D',
  collectionMethod: 'CARD_AUTO',
  maxCollectionAttempts: 3,
  retryInterval: 'P1D',
  dataDeletionAfterTermination: 'P30D',
  cancellationNotice: 'P30D',
  termsChangeNotice: 'PT80S',
};
/** The publication's notice: for customers without a live subscription, and for newcomers. */
const PUBLICATION_NOTICE_MS = 60_000;
const POLICY_NOTICE_MS = 80_000;
const NOTICE_PLAN = { code: `${NOTICE_POLICY.code}-plan`, name: 'E2E terms-objection plan', policyCode: NOTICE_POLICY.code, prices: [{ currency: 'TRY', amountMinor: 100_00 }] };
const SUBSCRIPTION_RIGHT = `query($id: ID!) { subscription(id: $id) { id currentPeriodEnd cancelEffectiveAt noticeFreeCancellationUntil history { type detail } upcoming { at type } } }`;
interface SubscriptionRight {
  id: string;
  currentPeriodEnd: string;
  cancelEffectiveAt: string | null;
  noticeFreeCancellationUntil: string | null;
  history: { type: string; detail: string | null }[];
  upcoming: { at: string; type: string }[];
}

async function subscriptionRight(token: string, id: string): Promise<SubscriptionRight> {
  const response = await graphql(gw, SUBSCRIPTION_RIGHT, { token, variables: { id } });
  expect(response.errors).toBeUndefined();
  return response.data!.subscription as SubscriptionRight;
}

/** The customer subscribes to the notice plan with a working sandbox card; returns it once its first period is paid. */
async function subscribe(customer: SignedUp): Promise<Subscription> {
  const response = await graphql(gw, START_SUBSCRIPTION, {
    token: customer.accessToken,
    variables: { input: { organizationId: customer.organizationId, planCode: NOTICE_PLAN.code, currency: 'TRY', paymentMethodToken: 'sandbox_ok' } },
  });
  expect(response.data!.startSubscription.userErrors).toEqual([]);
  const started = response.data!.startSubscription.subscription as Subscription;
  await waitFor(() => subscriptionRight(customer.accessToken, started.id), (s) => s.history.some((e) => e.type === 'INVOICE_PAID'), 30_000);
  return started;
}

async function cancel(customer: SignedUp, id: string): Promise<Subscription> {
  const response = await graphql(gw, CANCEL_SUBSCRIPTION, { token: customer.accessToken, variables: { id } });
  expect(response.data!.cancelSubscription.userErrors).toEqual([]);
  return response.data!.cancelSubscription.subscription as Subscription;
}

const mailTo = (address: string, subject: RegExp) => waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === address) && subject.test(m.subject), 30_000);

beforeAll(async () => {
  const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = logIn.data!.logIn.accessToken;
  const policy = await graphql(gw, 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', {
    token: operatorToken,
    variables: { input: NOTICE_POLICY },
  });
  expect(policy.errors).toBeUndefined();
  const plan = await graphql(gw, 'mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { token: operatorToken, variables: { input: NOTICE_PLAN } });
  expect(plan.errors).toBeUndefined();
});

describe('publishing legal document versions (CON-1, CON-4)', () => {
  it('CON-4: refuses bad input with typed userErrors, and non-DPO callers (FORBIDDEN)', async () => {
    const agreement = (await current('USER_AGREEMENT'))!;
    const base = { kind: 'USER_AGREEMENT', locale: 'tr', body: 'SÖZLEŞME (deneme)', binding: true, notice: 'P90D' };
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ ...base, binding: false }, 'BINDING_MISMATCH', ['input', 'binding']],
      [{ ...base, kind: 'COOKIE_POLICY' }, 'BINDING_MISMATCH', ['input', 'binding']],
      [{ ...base, notice: 'ninety days' }, 'INVALID_NOTICE', ['input', 'notice']],
      [{ ...base, notice: null }, 'INVALID_NOTICE', ['input', 'notice']],
      [{ ...base, notice: 'P5Y' }, 'INVALID_NOTICE', ['input', 'notice']],
      [{ ...base, locale: 'de' }, 'INVALID_LOCALE', ['input', 'locale']],
      [{ ...base, body: '   ' }, 'REQUIRED', ['input', 'body']],
      [{ ...base, effectiveAt: new Date().toISOString() }, 'EFFECTIVE_AT_FOR_NON_BINDING_ONLY', ['input', 'effectiveAt']],
      [{ kind: 'COOKIE_POLICY', locale: 'tr', body: 'Çerezler', binding: false, notice: 'P90D' }, 'NOTICE_FOR_BINDING_ONLY', ['input', 'notice']],
      [{ ...base, body: agreement.body }, 'UNCHANGED', ['input', 'body']],
    ];
    for (const [input, code, field] of cases) {
      const response = await publish(input);
      expect(response.errors, code).toBeUndefined();
      expect(response.data!.publishLegalDocumentVersion, code).toEqual({ version: null, userErrors: [{ code, field, message: expect.any(String) }] });
    }
    expect((await current('USER_AGREEMENT'))?.id).toBe(agreement.id);

    const customer = await signUpAndVerify(stack);
    expect(errorCodes(await publish(base, customer.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, PUBLISH, { variables: { input: base } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('CON-1: a non-binding kind (cookie policy) takes effect at once as version N+1 with its SHA-256', async () => {
    const before = (await current('COOKIE_POLICY'))?.version ?? 0;
    const body = `ÇEREZ POLİTİKASI (sürüm ${Date.now()})\nZorunlu çerezler her zaman, analitik ve pazarlama çerezleri yalnız izninizle kullanılır.`;
    const response = await publish({ kind: 'COOKIE_POLICY', locale: 'tr', body, binding: false });
    expect(response.data!.publishLegalDocumentVersion.userErrors).toEqual([]);
    const version = response.data!.publishLegalDocumentVersion.version as Version;
    expect(version).toMatchObject({ kind: 'COOKIE_POLICY', locale: 'tr', version: before + 1, awaitingBinding: false });
    expect(version.contentHash).toBe(createHash('sha256').update(body, 'utf8').digest('hex'));
    expect(await current('COOKIE_POLICY')).toMatchObject({ id: version.id, body });

    const next = await publish({ kind: 'COOKIE_POLICY', locale: 'tr', body: `${body}\nGüncellendi.`, binding: false, notice: 'PT0S' });
    expect(next.data!.publishLegalDocumentVersion.version).toMatchObject({ version: before + 2, awaitingBinding: false });
    expect((await current('COOKIE_POLICY'))?.version).toBe(before + 2);
  });

  it(
    'CON-4 [000 §6.7]: a new user agreement is e-mailed to everyone bound by the previous one; an objector is offered a cost-free cancellation, the others accept by continued use when the notice runs out',
    async () => {
      const customers: SignedUp[] = [];
      for (let i = 0; i < 3; i++) customers.push(await signUpAndVerify(stack));
      const [stays, objects, alsoStays] = customers as [SignedUp, SignedUp, SignedUp];
      // The hand-over to consent runs through Temporal: everyone's sign-up acceptances are recorded first.
      for (const customer of customers) await eventually(() => mine(customer.accessToken), (me) => me.legalAcceptances.length === 2);
      const previous = (await current('USER_AGREEMENT'))!;
      // The objector's organisation and one that stays each pay for a month with two months' notice.
      const [objectorSubscription, staysSubscription] = await Promise.all([subscribe(objects), subscribe(stays)]);
      // Asked before any objection, a cancellation needs the notice: it ends the next period.
      const ordinary = await cancel(objects, objectorSubscription.id);
      expect(Date.parse(ordinary.cancelEffectiveAt!) - Date.parse(ordinary.currentPeriodEnd!)).toBe(30 * 24 * 3600_000);

      const body = `ÜYELİK VE HİZMET SÖZLEŞMESİ (sürüm ${previous.version + 1})\n8. Yeni madde: hizmet seviyeleri ekte yer alır. ${Date.now()}`;
      const published = await publish({ kind: 'USER_AGREEMENT', locale: 'tr', body, binding: true, notice: 'PT60S' });
      expect(published.data!.publishLegalDocumentVersion.userErrors).toEqual([]);
      const version = published.data!.publishLegalDocumentVersion.version as Version;
      expect(version).toMatchObject({ kind: 'USER_AGREEMENT', locale: 'tr', version: previous.version + 1, awaitingBinding: true });
      expect(version.contentHash).toBe(createHash('sha256').update(body, 'utf8').digest('hex'));
      expect(Date.parse(version.effectiveAt) - Date.parse(version.publishedAt!)).toBe(PUBLICATION_NOTICE_MS);
      // Issue 12 (the policy's termsChangeNotice was ignored): the subscribers are bound after their own policy's notice.
      const ownBindingAt = new Date(Date.parse(version.publishedAt!) + POLICY_NOTICE_MS).toISOString();

      // Until it binds, the previous version stays in force; the new text can be read by its ID.
      expect((await current('USER_AGREEMENT'))?.id).toBe(previous.id);
      const byId = await graphql(gw, 'query($id: ID!) { legalDocumentVersion(id: $id) { id body awaitingBinding } }', { variables: { id: version.id } });
      expect(byId.data!.legalDocumentVersion).toEqual({ id: version.id, body, awaitingBinding: true });
      // One rollout per document at a time.
      const again = await publish({ kind: 'USER_AGREEMENT', locale: 'tr', body: `${body} (2)`, binding: true, notice: 'PT0S' });
      expect(again.data!.publishLegalDocumentVersion.userErrors.map((e: { code: string }) => e.code)).toEqual(['ROLLOUT_IN_PROGRESS']);

      const objection = await graphql(gw, OBJECT, { token: objects.accessToken, variables: { id: version.id } });
      expect(objection.errors).toBeUndefined();
      expect(objection.data!.objectToLegalDocument).toMatchObject({ userErrors: [], objection: { documentVersion: { id: version.id }, cancellationOfferedAt: null } });
      // [000 §6.7] The objector's organisation may now cancel without notice until the version binds: the
      // earlier request is brought forward to the end of the paid period. The other organisation keeps its notice.
      const right = await waitFor(() => subscriptionRight(objects.accessToken, objectorSubscription.id), (s) => s.noticeFreeCancellationUntil !== null, 20_000);
      expect(right.noticeFreeCancellationUntil).toBe(ownBindingAt);
      expect((await subscriptionRight(stays.accessToken, staysSubscription.id)).noticeFreeCancellationUntil).toBeNull();
      const waived = await cancel(objects, objectorSubscription.id);
      expect(waived.cancelEffectiveAt).toBe(waived.currentPeriodEnd);
      expect(waived.history.at(-1)).toMatchObject({ type: 'CANCELLATION_REQUESTED', detail: `effective ${waived.currentPeriodEnd} (notice waived: terms objection)` });
      // The subscription's workflow took the same decision: it ends with this period.
      await waitFor(
        () => subscriptionRight(objects.accessToken, objectorSubscription.id),
        (s) => s.upcoming.some((e) => e.type === 'CANCELLATION' && e.at === waived.currentPeriodEnd),
        20_000,
      );
      const offer = await mailTo(objects.email, /İtirazınız alındı/);
      expect(offer.text).toMatch(/bedel ve bildirim süresi olmadan/);
      const recorded = await eventually(() => mine(objects.accessToken), (me) => me.termsObjections.length === 1);
      expect(recorded.termsObjections[0]).toMatchObject({ documentVersion: { id: version.id, version: version.version }, cancellationOfferedAt: expect.any(String) });

      // Still inside the notice: everyone bound was told, and so is someone who signs up now.
      for (const customer of customers) {
        const mail = await mailTo(customer.email, /Sözleşmesi değişiyor/);
        expect(mail.text).toContain(`/legal/${version.id}`);
        expect(mail.text).toMatch(/itiraz/);
      }

      // Someone who signs up during the notice accepts the text in force and joins the rollout: told of the change at once.
      const latecomer = await signUpAndVerify(stack);
      await eventually(() => mine(latecomer.accessToken), (me) => me.legalAcceptances.length === 2);
      expect((await mailTo(latecomer.email, /Sözleşmesi değişiyor/)).text).toContain(`/legal/${version.id}`);
      // Someone bound by the English text is not concerned by the Turkish one.
      const english = await signUpAndVerify(stack, { acceptedDocumentVersionIds: await currentDocumentIds(gw, 'en') });
      await eventually(() => mine(english.accessToken), (me) => me.legalAcceptances.length === 2);
      const notAffected = await graphql(gw, OBJECT, { token: english.accessToken, variables: { id: version.id } });
      expect(notAffected.data!.objectToLegalDocument.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_AFFECTED']);
      const unknown = await graphql(gw, OBJECT, { token: stays.accessToken, variables: { id: '0123456789abcdef01234567' } });
      expect(unknown.data!.objectToLegalDocument.userErrors.map((e: { code: string }) => e.code)).toEqual(['DOCUMENT_NOT_FOUND']);
      const notPending = await graphql(gw, OBJECT, { token: stays.accessToken, variables: { id: previous.id } });
      expect(notPending.data!.objectToLegalDocument.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_PENDING']);

      // The publication's notice runs out: the version binds for newcomers and for those without a contract of their own.
      await eventually(() => current('USER_AGREEMENT'), (doc) => doc?.id === version.id);
      for (const customer of [alsoStays, latecomer]) {
        const me = await eventually(() => mine(customer.accessToken), (m) => m.legalAcceptances.length === 3);
        const continued = me.legalAcceptances.filter((a) => a.documentVersion.id === version.id);
        expect(continued).toEqual([{ method: 'CONTINUED_USE', acceptedAt: version.effectiveAt, documentVersion: { id: version.id } }]);
      }
      // The subscriber is bound later, when its own policy's notice runs out.
      const staysAccepted = await eventually(() => mine(stays.accessToken), (m) => m.legalAcceptances.length === 3);
      expect(staysAccepted.legalAcceptances.filter((a) => a.documentVersion.id === version.id)).toEqual([
        { method: 'CONTINUED_USE', acceptedAt: ownBindingAt, documentVersion: { id: version.id } },
      ]);
      const bound = await graphql(gw, 'query($id: ID!) { legalDocumentVersion(id: $id) { awaitingBinding effectiveAt } }', { variables: { id: version.id } });
      expect(bound.data!.legalDocumentVersion).toEqual({ awaitingBinding: false, effectiveAt: version.effectiveAt });

      // The objector did not accept it, and the notice period is over for everyone.
      const objector = await mine(objects.accessToken);
      expect(objector.legalAcceptances.map((a) => a.documentVersion.id)).not.toContain(version.id);
      const late = await graphql(gw, OBJECT, { token: stays.accessToken, variables: { id: version.id } });
      expect(late.data!.objectToLegalDocument.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_PENDING']);
      // The right ended with the notice period.
      expect((await subscriptionRight(objects.accessToken, objectorSubscription.id)).noticeFreeCancellationUntil).toBeNull();
      // The English customer was never part of the rollout.
      expect((await mine(english.accessToken)).legalAcceptances.map((a) => a.documentVersion.id)).not.toContain(version.id);
    },
    150_000,
  );
});
