// Issue 5 (consent/KVKK) done-when: one person's whole KVKK life through the
// gateway, on the real stack (four subgraphs, Temporal dev server, FerretDB,
// MailDev): sign-up with acceptances recorded (CON-2), explicit consent granted
// and withdrawn from the API and from a commercial e-mail's link (CON-3), an
// ACCESS request answered with an export holding data from all four subgraphs
// (CON-5), and an ERASURE request after which the person's identifying data is
// gone from every subgraph's database, read directly, except the invoices kept
// under VUK 253 / TTK 82, with a destruction record listing both (CON-6).
// Also CON-9 (an organisation's export while it is suspended) and CON-7 (the
// aggregated data inventory and a periodic destruction run from its Schedule).
import { randomUUID } from 'node:crypto';
import type { Connection as MongoConnection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, loadConfig } from '@omurga/shared';
import { PERIODIC_DESTRUCTION_SCHEDULE_ID } from '@omurga/shared/contracts';
import { connectTemporalClient } from '@omurga/shared/temporal';
import { LOG_IN, SIGN_UP, clientIp, currentDocumentIds, signUpAndVerify, signUpInput, tokenFromEmail, AUTH_FIELDS } from '../support/accounts.ts';
import { START_SUBSCRIPTION, readInvoices, waitFor } from '../support/billing.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const suffix = randomUUID().slice(0, 8);
const letters = (hex: string) => hex.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!);

/** What identifies the person: each value is unique to this run, so finding it anywhere means it was kept. */
const PERSON = {
  firstName: 'Zeynep',
  lastName: `Kvkk${letters(suffix)}`,
  email: `kvkk-life-${suffix}@example.com`,
  password: 'Kestane-Bal-Ormani-42',
  userAgent: `KvkkLifeTest/${suffix}`,
  ip: `203.0.113.${(parseInt(suffix.slice(0, 2), 16) % 250) + 1}`,
  ticketText: `Telefonum 0555 ${suffix.slice(0, 3)} ${suffix.slice(3, 5)} ${suffix.slice(5, 7)}, adresim Moda Cd. ${suffix}`,
};
const personHeaders = { 'user-agent': PERSON.userAgent, 'x-forwarded-for': PERSON.ip };

const POLICY = {
  code: `kvkk-life-${suffix}`,
  name: 'KVKK life policy',
  seedReference: 'e2e',
  trialRequiresPaymentMethod: false,
  billingPeriod: 'P1M',
  collectionMethod: 'CARD_AUTO',
  maxCollectionAttempts: 1,
  retryInterval: 'P1D',
  suspendAfter: 'P7D',
  terminateAfter: 'P14D',
  dataDeletionAfterTermination: 'P30D',
  cancellationNotice: 'PT0S',
  termsChangeNotice: 'PT0S',
};
const PLAN = { code: `kvkk-life-plan-${suffix}`, name: 'KVKK life plan', policyCode: POLICY.code, prices: [{ currency: 'TRY', amountMinor: 100_00 }] };

const REQUEST_FIELDS = 'id kind status';
const PAYLOAD = `request { ${REQUEST_FIELDS} } userErrors { code field message }`;
const SUBMIT = `mutation($kind: DataSubjectRequestKind!, $details: String) { submitDataSubjectRequest(kind: $kind, details: $details) { ${PAYLOAD} } }`;
const STEPS = {
  verify: `mutation($id: ID!) { verifyDataSubjectRequestIdentity(id: $id) { ${PAYLOAD} } }`,
  start: `mutation($id: ID!) { startDataSubjectRequest(id: $id) { ${PAYLOAD} } }`,
  answer: `mutation($id: ID!) { answerDataSubjectRequest(id: $id) { ${PAYLOAD} } }`,
} as const;
const FIELD = { verify: 'verifyDataSubjectRequestIdentity', start: 'startDataSubjectRequest', answer: 'answerDataSubjectRequest' } as const;
const REPORT = 'service erased { collection description count } kept { collection description count legalBasis keptUntil restricted }';
const OPERATOR_REQUEST = `query($status: DataSubjectRequestStatus) { dataSubjectRequests(status: $status) {
  id status details export { status downloadUrl services } destructionRecord { erasureId subjectId reason retainUntil reports { ${REPORT} } }
} }`;

let operatorToken: string;
let person: { userId: string; organizationId: string; accessToken: string };
let invoiceNumber: string;
let ticketId: string;
const dbs: Record<string, MongoConnection> = {};

async function operatorLogIn(): Promise<string> {
  const response = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  return response.data!.logIn.accessToken as string;
}

async function asPerson(query: string, variables: Record<string, unknown> = {}, token = person.accessToken) {
  const response = await graphql(gw, query, { token, variables, headers: personHeaders });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

async function asOperator(query: string, variables: Record<string, unknown> = {}) {
  const response = await graphql(gw, query, { token: operatorToken, variables });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

/** The DPO's view of one request, once `done` holds (the workflow and the work behind it run asynchronously). */
async function operatorRequest(id: string, done: (request: Record<string, any>) => boolean) {
  return waitFor(
    async () => ((await asOperator(OPERATOR_REQUEST)).dataSubjectRequests as Record<string, any>[]).find((r) => r.id === id) ?? null,
    (request) => request !== null && done(request),
    60_000,
  ) as Promise<Record<string, any>>;
}

/** Verify and start (the stored status follows the workflow, so each step waits for the previous one). */
async function verifyAndStart(id: string) {
  for (const step of ['verify', 'start'] as const) {
    const data = await asOperator(STEPS[step], { id });
    expect(data[FIELD[step]].userErrors).toEqual([]);
    await operatorRequest(id, (r) => r.status === (step === 'verify' ? 'IDENTITY_VERIFIED' : 'IN_PROGRESS'));
  }
}

async function download(path: string, token: string) {
  const response = await fetch(new URL(path, gw.replace(/\/graphql$/, '')), { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), body: response.status === 200 ? ((await response.json()) as Record<string, any>) : null };
}

/** Every document of every collection of a subgraph's database, as text. */
async function everything(service: string): Promise<Record<string, string>> {
  const db = dbs[service]!.db!;
  const out: Record<string, string> = {};
  for (const { name } of await db.listCollections().toArray()) {
    out[name] = JSON.stringify(await db.collection(name).find({}).toArray());
  }
  return out;
}

beforeAll(async () => {
  operatorToken = await operatorLogIn();
  for (const service of ['accounts', 'billing', 'consent', 'support']) dbs[service] = await connectDatabase(loadConfig({ ...process.env, ...stack.env }), service);
  await asOperator('mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { input: POLICY });
  await asOperator('mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { input: PLAN });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(dbs).map((db) => db.close()));
});

describe('a person\'s whole KVKK life through the gateway (issue 5 done-when)', () => {
  it('CON-2: signs up accepting the documents in force; the acceptances are recorded with version hash, method, IP and user agent', async () => {
    const ids = await currentDocumentIds(gw);
    const input = signUpInput({
      acceptedDocumentVersionIds: ids,
      firstName: PERSON.firstName,
      lastName: PERSON.lastName,
      email: PERSON.email,
      companyName: `${PERSON.firstName} ${PERSON.lastName}`,
    });
    const signUp = await graphql(gw, SIGN_UP, { variables: { input }, headers: personHeaders });
    expect(signUp.data!.signUp.userErrors).toEqual([]);
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, PERSON.email, /doğrulayın|Verify/);
    const verified = await graphql(gw, `mutation($t: String!) { verifyEmail(token: $t) { ${AUTH_FIELDS} } }`, { variables: { t: token }, headers: personHeaders });
    person = {
      userId: signUp.data!.signUp.user.id,
      organizationId: signUp.data!.signUp.organization.id,
      accessToken: verified.data!.verifyEmail.accessToken,
    };

    const current = (await graphql(gw, '{ currentLegalDocuments(locale: "tr") { id kind contentHash } }')).data!.currentLegalDocuments as { id: string; kind: string; contentHash: string }[];
    // (a terms rollout in another test file may add CONTINUED_USE acceptances meanwhile)
    const accepted = await waitFor(
      async () =>
        ((await asPerson('{ me { legalAcceptances { kind contentHash method ip userAgent documentVersion { id } } } }')).me.legalAcceptances as Record<string, any>[]).filter(
          (a) => a.method === 'CHECKBOX',
        ),
      (list) => list.length === ids.length,
      30_000,
    );
    expect(accepted.map((a) => a.documentVersion.id).sort()).toEqual([...ids].sort());
    for (const acceptance of accepted) {
      expect(acceptance).toMatchObject({ method: 'CHECKBOX', ip: PERSON.ip, userAgent: PERSON.userAgent });
      expect(acceptance.contentHash).toBe(current.find((d) => d.id === acceptance.documentVersion.id)!.contentHash);
    }
  });

  it('CON-3: grants marketing e-mail consent, withdraws it through the API, grants again and withdraws from the link in a commercial e-mail', async () => {
    const setConsent = (granted: boolean) =>
      asPerson('mutation($g: Boolean!) { setConsent(channel: EMAIL, purpose: "marketing", granted: $g) { granted } }', { g: granted });
    const current = async () => ((await asPerson('{ me { consents { channel purpose granted } } }')).me.consents as Record<string, unknown>[]).find((c) => c.purpose === 'marketing');

    await setConsent(true);
    expect(await current()).toMatchObject({ channel: 'EMAIL', granted: true });
    await setConsent(false);
    expect(await current()).toMatchObject({ granted: false });
    await setConsent(true);

    const campaign = await asOperator(
      'mutation($input: SendCommercialMessageInput!) { sendCommercialMessage(input: $input) { campaignId userErrors { code } } }',
      { input: { purpose: 'marketing', subjectTr: `Kampanya ${suffix}`, subjectEn: `Campaign ${suffix}`, bodyTr: 'Yeni paketlerimiz.', bodyEn: 'Our new plans.' } },
    );
    expect(campaign.sendCommercialMessage.userErrors).toEqual([]);
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, PERSON.email, new RegExp(`(Kampanya|Campaign) ${suffix}`));
    // The web page behind the link calls the public mutation: no sign-in.
    const unsubscribed = await graphql(gw, 'mutation($t: String!) { unsubscribe(token: $t) }', { variables: { t: token }, headers: personHeaders });
    expect(unsubscribed.data).toEqual({ unsubscribe: true });
    expect(await current()).toMatchObject({ granted: false });

    const history = (await asPerson('{ consentHistory { granted source } }')).consentHistory as { granted: boolean; source: string }[];
    expect(history.map((e) => [e.granted, e.source])).toEqual([
      [true, 'API'],
      [false, 'API'],
      [true, 'API'],
      [false, 'UNSUBSCRIBE_LINK'],
    ]);
  });

  it('has data in billing (a paid invoice) and support (a ticket) too', async () => {
    const started = await asPerson(START_SUBSCRIPTION, {
      input: { organizationId: person.organizationId, planCode: PLAN.code, currency: 'TRY', paymentMethodToken: 'sandbox_ok' },
    });
    expect(started.startSubscription.userErrors).toEqual([]);
    const [invoice] = await waitFor(() => readInvoices(gw, person.accessToken, person.organizationId), (list) => list.some((i) => i.status === 'PAID'), 60_000);
    invoiceNumber = invoice!.number;

    const opened = await asPerson(
      'mutation($input: OpenTicketInput!) { openTicket(input: $input) { ticket { id number } userErrors { code field } } }',
      { input: { organizationId: person.organizationId, subject: `Fatura adresi ${suffix}`, body: PERSON.ticketText, department: 'BILLING', priority: 'NORMAL' } },
    );
    expect(opened.openTicket.userErrors).toEqual([]);
    ticketId = opened.openTicket.ticket.id;
  });

  it('CON-5: an ACCESS request is answered with a downloadable export holding the person\'s data from all four subgraphs', async () => {
    const submitted = (await asPerson(SUBMIT, { kind: 'ACCESS', details: `Tüm verilerim (${suffix})` })).submitDataSubjectRequest;
    expect(submitted.userErrors).toEqual([]);
    const id = submitted.request.id as string;
    await verifyAndStart(id);
    const ready = await operatorRequest(id, (r) => r.export?.status === 'READY');
    expect(ready.details).toBe(`Tüm verilerim (${suffix})`);
    expect(ready.export.services).toEqual(['accounts', 'billing', 'consent', 'support']);

    const answered = await asOperator(STEPS.answer, { id });
    expect(answered.answerDataSubjectRequest.userErrors).toEqual([]);
    const mine = await waitFor(
      async () => ((await asPerson('{ me { dataSubjectRequests { id status export { downloadUrl } } } }')).me.dataSubjectRequests as Record<string, any>[]).find((r) => r.id === id)!,
      (r) => r.status === 'ANSWERED',
      30_000,
    );
    const file = await download(mine.export.downloadUrl, person.accessToken);
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/^application\/json/);
    const data = file.body!.services;
    expect(data.accounts.user.email).toBe(PERSON.email);
    expect(data.billing.invoices.map((i: { number: string }) => i.number)).toContain(invoiceNumber);
    expect(data.consent.consentEvents).toHaveLength(4);
    expect(data.consent.legalAcceptances[0].userAgent).toBe(PERSON.userAgent);
    expect(data.support.tickets.map((t: { id: string }) => t.id)).toEqual([ticketId]);
    expect(data.support.tickets[0].messages.map((m: { body: string }) => m.body)).toEqual([PERSON.ticketText]);
    // the customer's view: nothing only agents see
    for (const field of ['events', 'assigneeId', 'flaggedForAbuse', 'dataSubjectRequestId', 'slaInput']) expect(data.support.tickets[0]).not.toHaveProperty(field);

    // Nobody else can download it, and it does not exist for them.
    const stranger = await signUpAndVerify(stack);
    expect((await download(mine.export.downloadUrl, stranger.accessToken)).status).toBe(404);
    expect((await download(mine.export.downloadUrl, '')).status).toBe(401);
  });

  it('CON-6: after an ERASURE request the person is gone from every subgraph\'s database, except invoices kept under VUK 253 / TTK 82, and the destruction record lists both', async () => {
    const submitted = (await asPerson(SUBMIT, { kind: 'ERASURE', details: null })).submitDataSubjectRequest;
    const id = submitted.request.id as string;
    await verifyAndStart(id);
    const done = await operatorRequest(id, (r) => r.destructionRecord !== null);
    const record = done.destructionRecord;
    expect(record).toMatchObject({ erasureId: `dsr/${id}`, subjectId: person.userId, reason: 'DATA_SUBJECT_REQUEST' });
    // kept at least 3 years (Deletion Regulation art. 7/3)
    expect(Date.parse(record.retainUntil)).toBeGreaterThanOrEqual(Date.now() + 3 * 365 * 86_400_000 - 86_400_000);
    const report = (service: string) => record.reports.find((r: { service: string }) => r.service === service);
    expect(report('accounts').erased.map((l: { collection: string }) => l.collection)).toEqual(expect.arrayContaining(['users', 'organizations', 'memberships']));
    expect(report('support').erased.map((l: { collection: string }) => l.collection)).toContain('tickets');
    // The person's own organisation's contract ends with the paid period: nothing renews or is charged afterwards.
    expect(report('billing').erased).toContainEqual({ collection: 'subscriptions', description: expect.stringMatching(/without notice/), count: 1 });
    expect(report('billing').kept).toEqual([
      expect.objectContaining({ collection: 'invoices', count: 1, restricted: true, legalBasis: expect.stringMatching(/VUK art\. 253.*TTK art\. 82/) }),
    ]);
    expect(report('consent').erased.map((l: { collection: string }) => l.collection)).toContain('subject_keys');
    expect(report('consent').kept.map((l: { collection: string }) => l.collection)).toEqual([
      'legal_acceptances',
      'consent_events',
      'commercial_message_deliveries',
      'data_subject_requests',
    ]);
    expect((await asOperator(STEPS.answer, { id })).answerDataSubjectRequest.userErrors).toEqual([]);

    // Read every subgraph's database directly.
    const identifying = [PERSON.email, PERSON.lastName, PERSON.userAgent, PERSON.ip, PERSON.ticketText, `Tüm verilerim (${suffix})`];
    for (const service of ['accounts', 'billing', 'consent', 'support']) {
      for (const [collection, text] of Object.entries(await everything(service))) {
        const found = identifying.filter((value) => text.includes(value));
        if (service === 'billing' && collection === 'invoices') {
          // The invoice keeps the buyer as printed (the person's name), restricted.
          expect(found).toEqual([PERSON.lastName]);
          continue;
        }
        expect(found, `${service}.${collection}`).toEqual([]);
      }
    }
    const subscription = await dbs.billing!.db!.collection('subscriptions').findOne({ organizationId: person.organizationId });
    expect(subscription).toMatchObject({ cancelAtPeriodEnd: true, cancelEffectiveAt: subscription!.currentPeriodEnd });
    expect(subscription!.history.at(-1)).toMatchObject({ type: 'CANCELLATION_REQUESTED', detail: expect.stringContaining('(notice waived: erasure of the customer)') });
    const invoice = await dbs.billing!.db!.collection('invoices').findOne({ number: invoiceNumber });
    expect(invoice!.restrictedAt).toBeInstanceOf(Date);
    expect(new Date(invoice!.retainUntil).getUTCFullYear()).toBe(new Date(invoice!.issuedAt).getUTCFullYear() + 10);

    // The person can no longer sign in; the erased details read as nothing, even for the DPO.
    const logIn = await graphql(gw, LOG_IN, { variables: { email: PERSON.email, password: PERSON.password }, headers: personHeaders });
    expect(logIn.data!.logIn.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    const access = (await asOperator(OPERATOR_REQUEST)).dataSubjectRequests.find((r: { details: string | null }) => r.details?.includes(suffix));
    expect(access).toBeUndefined();

    // CON-6: running the erasure again changes nothing.
    const before = await Promise.all(['accounts', 'billing', 'consent', 'support'].map(everything));
    const temporal = await connectTemporalClient(loadConfig({ ...process.env, ...stack.env }));
    await temporal.workflow.execute('personalDataErasureWorkflow', {
      taskQueue: 'omurga-workflows',
      workflowId: `personal-data-erasure/dsr/${id}/again`,
      args: [{ erasureId: `dsr/${id}`, subject: { kind: 'PERSON', userId: person.userId }, reason: 'DATA_SUBJECT_REQUEST', requestId: id }],
    });
    await temporal.connection.close();
    const after = await Promise.all(['accounts', 'billing', 'consent', 'support'].map(everything));
    for (const [index, service] of ['accounts', 'billing', 'consent', 'support'].entries()) {
      // Other tests write meanwhile: compare only what concerns this person.
      const mine = (dump: Record<string, string>) =>
        Object.fromEntries(Object.entries(dump).map(([c, text]) => [c, JSON.parse(text).filter((doc: unknown) => JSON.stringify(doc).includes(person.userId) || JSON.stringify(doc).includes(person.organizationId))]));
      expect(mine(after[index]!), service).toEqual(mine(before[index]!));
    }
  });
});

describe('organisation export and the data inventory (CON-9, CON-7)', () => {
  it('CON-9: an owner exports the organisation\'s data as JSON, also while it is suspended; others cannot', async () => {
    const owner = await signUpAndVerify(stack);
    const suspended = await asOperator('mutation($o: ID!) { suspendOrganization(id: $o, reason: "ABUSE") { status } }', { o: owner.organizationId });
    expect(suspended.suspendOrganization.status).toBe('SUSPENDED');

    const requested = await graphql(gw, 'mutation($o: ID!) { requestOrganizationExport(organizationId: $o) { export { id status } userErrors { code } } }', {
      token: owner.accessToken,
      variables: { o: owner.organizationId },
    });
    expect(requested.data!.requestOrganizationExport.userErrors).toEqual([]);
    const ready = await waitFor(
      async () =>
        (await graphql(gw, 'query($o: ID!) { organization(id: $o) { dataExports { id status downloadUrl services } } }', { token: owner.accessToken, variables: { o: owner.organizationId } })).data!
          .organization.dataExports[0],
      (e) => e?.status === 'READY',
      60_000,
    );
    expect(ready.services).toEqual(['accounts', 'billing', 'consent', 'support']);
    const file = await download(ready.downloadUrl, owner.accessToken);
    expect(file.status).toBe(200);
    expect(file.body!.services.accounts.organizations[0]._id).toBe(owner.organizationId);
    expect(file.body!.services.accounts.members[0].user.email).toBe(owner.email);

    const stranger = await signUpAndVerify(stack);
    const refused = await graphql(gw, 'mutation($o: ID!) { requestOrganizationExport(organizationId: $o) { export { id } userErrors { code } } }', {
      token: stranger.accessToken,
      variables: { o: owner.organizationId },
    });
    expect(refused.data!.requestOrganizationExport).toEqual({ export: null, userErrors: [{ code: 'ORGANIZATION_NOT_FOUND' }] });
    expect((await download(ready.downloadUrl, stranger.accessToken)).status).toBe(404);
  });

  it('CON-7: the inventory aggregates every subgraph\'s declarations; the Schedule runs periodic destruction and the run is logged', async () => {
    const inventory = (await asOperator('{ dataInventory { service collection legalBasis retention recipients } }')).dataInventory as { service: string; collection: string }[];
    expect(new Set(inventory.map((e) => e.service))).toEqual(new Set(['accounts', 'billing', 'consent', 'support']));
    expect(inventory).toEqual(expect.arrayContaining([expect.objectContaining({ service: 'billing', collection: 'invoices', retention: 'P10Y' })]));

    const customer = await signUpAndVerify(stack);
    expect(errorCodes(await graphql(gw, '{ dataInventory { service } }', { token: customer.accessToken }))).toEqual(['FORBIDDEN']);

    const temporal = await connectTemporalClient(loadConfig({ ...process.env, ...stack.env }));
    const schedule = temporal.schedule.getHandle(PERIODIC_DESTRUCTION_SCHEDULE_ID);
    const described = await schedule.describe();
    expect(described.action).toMatchObject({ workflowType: 'periodicDestructionWorkflow' });
    const before = ((await asOperator('{ destructionRuns { runId } }')).destructionRuns as unknown[]).length;
    await schedule.trigger();
    await temporal.connection.close();
    const runs = await waitFor(async () => (await asOperator('{ destructionRuns { runId completedAt reports { service } } }')).destructionRuns as Record<string, any>[], (list) => list.length > before, 60_000);
    expect(runs[0]!.runId).toMatch(/^periodic-destruction/);
    expect(runs[0]!.reports.map((r: { service: string }) => r.service)).toEqual(['accounts', 'billing', 'consent', 'support']);
  });
});
