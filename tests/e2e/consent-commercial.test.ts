// Issue 5 (consent): commercial e-mail campaigns (CON-3, ETK art. 6-8) through
// the gateway, with the real consent service, Temporal workflows, database and
// mail catcher: only people who consented get the message, each e-mail ends
// with an unsubscribe link that works without sign-in, and a withdrawal keeps
// the next campaign away.
import { randomUUID } from 'node:crypto';
import type { Connection as DbConnection } from 'mongoose';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, loadConfig } from '@omurga/shared';
import { commercialMessageWorkflowId, type CommercialMessageResult } from '../../services/consent/src/workflows/contracts/commercial.ts';
import { connectTemporalClient } from '@omurga/shared/temporal';
import type { ContactAddress } from '@omurga/shared/contracts';
import { commercialMessageActivities } from '../../services/consent/src/commercial-messages.ts';
import { recordConsent, receiptSettings } from '../../services/consent/src/consent-ledger.ts';
import type { ConsentOutbox } from '../../services/consent/src/emails.ts';
import { AppendOnlyLedgerError, consentModels, type ConsentModels } from '../../services/consent/src/models.ts';
import { LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { waitForEmail, type CaughtEmail } from '../support/mail-catcher.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const config = loadConfig({ ...process.env, ...stack.env });

const SET_CONSENT = `mutation($channel: ConsentChannel!, $purpose: String!, $granted: Boolean!) {
  setConsent(channel: $channel, purpose: $purpose, granted: $granted) { channel purpose granted } }`;
const MY_CONSENTS = `{ me { id consents { channel purpose granted } } }`;
const HISTORY = `{ consentHistory { channel purpose granted source } }`;
const UNSUBSCRIBE = `mutation($token: String!) { unsubscribe(token: $token) }`;
const SEND = `mutation($input: SendCommercialMessageInput!) { sendCommercialMessage(input: $input) { campaignId userErrors { code field message } } }`;
const DELIVERIES = `query($campaignId: ID!, $first: Int, $after: ID) {
  commercialMessageDeliveries(campaignId: $campaignId, first: $first, after: $after) { id campaignId userId user { id } channel purpose status reason at } }`;

interface Delivery {
  id: string;
  userId: string;
  status: string;
  reason: string | null;
  channel: string;
  purpose: string;
}

let operatorToken: string;
let consenting: SignedUp;
let silent: SignedUp;
let temporal: Client;
let serviceDb: DbConnection;
let live: ConsentModels;

beforeAll(async () => {
  const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = logIn.data!.logIn.accessToken;
  [consenting, silent] = await Promise.all([signUpAndVerify(stack), signUpAndVerify(stack)]);
  temporal = await connectTemporalClient(config);
  serviceDb = await connectDatabase(config, 'consent');
  live = consentModels(serviceDb);
});

afterAll(async () => {
  await temporal?.connection.close();
  await serviceDb?.close();
});

function campaignInput(tag: string, overrides: Record<string, string> = {}) {
  return {
    purpose: 'marketing',
    subjectTr: `Kampanya ${tag}`,
    subjectEn: `Campaign ${tag}`,
    bodyTr: `Yeni özelliklerimizle tanışın (${tag}).`,
    bodyEn: `Meet our new features (${tag}).`,
    ...overrides,
  };
}

/** Sends a campaign as the operator and waits until its workflow has handled every recipient. */
async function sendCampaign(tag: string): Promise<{ campaignId: string; result: CommercialMessageResult }> {
  const response = await graphql(gw, SEND, { token: operatorToken, variables: { input: campaignInput(tag) } });
  expect(response.errors).toBeUndefined();
  const payload = response.data!.sendCommercialMessage as { campaignId: string | null; userErrors: unknown[] };
  expect(payload.userErrors).toEqual([]);
  expect(payload.campaignId).toEqual(expect.any(String));
  const campaignId = payload.campaignId!;
  const result = (await temporal.workflow.getHandle(commercialMessageWorkflowId(campaignId)).result()) as CommercialMessageResult;
  return { campaignId, result };
}

async function deliveries(campaignId: string, token = operatorToken): Promise<Delivery[]> {
  const all: Delivery[] = [];
  let after: string | null = null;
  for (;;) {
    const response = await graphql(gw, DELIVERIES, { token, variables: { campaignId, first: 100, after } });
    expect(response.errors).toBeUndefined();
    const page = response.data!.commercialMessageDeliveries as Delivery[];
    all.push(...page);
    if (page.length < 100) return all;
    after = page.at(-1)!.id;
  }
}

async function mailsTo(address: string, subject: string): Promise<CaughtEmail[]> {
  const response = await fetch(`${stack.mailCatcherUrl}/email`);
  return ((await response.json()) as CaughtEmail[]).filter((m) => m.to.some((a) => a.address === address) && m.subject === subject);
}

const header = (mail: CaughtEmail, name: string) => Object.entries(mail.headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

async function marketingConsent(token: string) {
  const response = await graphql(gw, MY_CONSENTS, { token });
  expect(response.errors).toBeUndefined();
  return (response.data!.me.consents as { channel: string; purpose: string; granted: boolean }[]).find((c) => c.channel === 'EMAIL' && c.purpose === 'marketing');
}

describe('commercial messages (CON-3, ETK art. 6-8)', () => {
  it('signUp with marketingEmailOptIn: true recorded nothing (issue 12): the opt-in is an explicit consent in the ledger, there once the person signs in', async () => {
    const optedIn = await signUpAndVerify(stack, { marketingEmailOptIn: true });
    expect(await marketingConsent(optedIn.accessToken)).toEqual({ channel: 'EMAIL', purpose: 'marketing', granted: true });
    const history = await graphql(gw, HISTORY, { token: optedIn.accessToken });
    expect(history.data!.consentHistory).toEqual([{ channel: 'EMAIL', purpose: 'marketing', granted: true, source: 'SIGN_UP' }]);
    // Without the box ticked nothing is recorded (silence is no consent).
    expect(await marketingConsent(silent.accessToken)).toBeUndefined();
  });

  it('CON-3: a campaign reaches only the person who consented, with an unsubscribe link that withdraws without sign-in; the next campaign skips them', async () => {
    const granted = await graphql(gw, SET_CONSENT, { token: consenting.accessToken, variables: { channel: 'EMAIL', purpose: 'marketing', granted: true } });
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.setConsent.granted).toBe(true);

    // ── first campaign: A consented, B never did ──
    const tag = randomUUID().slice(0, 8);
    const first = await sendCampaign(tag);
    expect(first.result.sent).toBeGreaterThanOrEqual(1);

    const mail = await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === consenting.email) && m.subject.endsWith(tag));
    // signUpAndVerify signs up in Turkish.
    expect(mail.subject).toBe(`Kampanya ${tag}`);
    expect(mail.text).toContain(`Yeni özelliklerimizle tanışın (${tag}).`);
    const link = /(\S+\/unsubscribe\?token=(\S+))\s*$/.exec(mail.text);
    expect(link, 'the text ends with the unsubscribe link').not.toBeNull();
    expect(link![1]!.startsWith(config.publicAppUrl.replace(/\/$/, ''))).toBe(true);
    // RFC 8058 one-click unsubscribe headers point at the same link.
    expect(header(mail, 'List-Unsubscribe')).toBe(`<${link![1]}>`);
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const firstDeliveries = await deliveries(first.campaignId);
    expect(firstDeliveries.filter((d) => d.userId === consenting.userId)).toEqual([
      expect.objectContaining({ userId: consenting.userId, status: 'SENT', reason: null, channel: 'EMAIL', purpose: 'marketing' }),
    ]);
    expect(firstDeliveries.some((d) => d.userId === silent.userId)).toBe(false);
    expect(new Set(firstDeliveries.map((d) => d.userId)).size).toBe(firstDeliveries.length);
    expect(await mailsTo(silent.email, `Kampanya ${tag}`)).toEqual([]);
    expect(await mailsTo(consenting.email, `Kampanya ${tag}`)).toHaveLength(1);

    // ── A follows the link: the web page calls unsubscribe with no sign-in ──
    const unsubscribed = await graphql(gw, UNSUBSCRIBE, { variables: { token: decodeURIComponent(link![2]!) } });
    expect(unsubscribed.errors).toBeUndefined();
    expect(unsubscribed.data!.unsubscribe).toBe(true);
    expect(await marketingConsent(consenting.accessToken)).toEqual({ channel: 'EMAIL', purpose: 'marketing', granted: false });
    const history = await graphql(gw, HISTORY, { token: consenting.accessToken });
    expect((history.data!.consentHistory as { source: string; granted: boolean }[]).at(-1)).toMatchObject({ granted: false, source: 'UNSUBSCRIBE_LINK' });

    // ── second campaign: A is no longer a recipient ──
    const secondTag = randomUUID().slice(0, 8);
    const second = await sendCampaign(secondTag);
    const secondDeliveries = await deliveries(second.campaignId);
    expect(secondDeliveries.some((d) => d.userId === consenting.userId || d.userId === silent.userId)).toBe(false);
    expect(await mailsTo(consenting.email, `Kampanya ${secondTag}`)).toEqual([]);
  });

  it('CON-3: only SUPER_ADMIN sends campaigns and only privacy operators read deliveries; customers get FORBIDDEN, anonymous callers UNAUTHENTICATED', async () => {
    const asCustomer = await graphql(gw, SEND, { token: consenting.accessToken, variables: { input: campaignInput('forbidden') } });
    expect(errorCodes(asCustomer)).toEqual(['FORBIDDEN']);
    const anonymous = await graphql(gw, SEND, { variables: { input: campaignInput('anonymous') } });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const readAsCustomer = await graphql(gw, DELIVERIES, { token: consenting.accessToken, variables: { campaignId: randomUUID() } });
    expect(errorCodes(readAsCustomer)).toEqual(['FORBIDDEN']);
  });

  it('CON-3: an unknown or non-commercial purpose and blank texts are typed userErrors and no campaign is created', async () => {
    const response = await graphql(gw, SEND, {
      token: operatorToken,
      variables: { input: campaignInput('bad', { purpose: 'cookies-analytics', subjectEn: '   ', bodyTr: '' }) },
    });
    expect(response.errors).toBeUndefined();
    const payload = response.data!.sendCommercialMessage as { campaignId: string | null; userErrors: { code: string; field: string[] }[] };
    expect(payload.campaignId).toBeNull();
    expect(payload.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['UNKNOWN_PURPOSE', ['input', 'purpose']],
      ['REQUIRED', ['input', 'subjectEn']],
      ['REQUIRED', ['input', 'bodyTr']],
    ]);
  });

  it('CON-3: the sender reads the ledger again at send time (a withdrawal after listing is honoured), records each person once, and the record is append-only', async () => {
    const sent: { key: string; to: readonly ContactAddress[]; headers?: Record<string, string> }[] = [];
    const outbox: ConsentOutbox = {
      async send(_kind, key, to, _params, options) {
        sent.push({ key, to, ...(options?.headers ? { headers: options.headers } : {}) });
        return to.length;
      },
      toDpo: (recipients) => [...recipients],
      operatorLink: (path) => path,
    };
    const activities = commercialMessageActivities({ models: live, outbox, publicAppUrl: config.publicAppUrl });
    const campaignId = `direct-${randomUUID()}`;
    const settings = receiptSettings(config.publicAppUrl);
    const change = (userId: string, granted: boolean) =>
      recordConsent(live, settings, { userId, channel: 'EMAIL', purpose: 'surveys', granted, source: 'API', ip: null, userAgent: null, locale: 'tr', now: new Date() });
    const [withdraws, stays, erased] = [`u-${randomUUID()}`, `u-${randomUUID()}`, `u-${randomUUID()}`];
    for (const userId of [withdraws, stays, erased]) await change(userId, true);

    await activities.recordCommercialCampaign({ campaignId, channel: 'EMAIL', purpose: 'surveys', subject: { tr: 'Anket', en: 'Survey' }, body: { tr: 'Görüşünüz?', en: 'Your view?' } });
    // Paging through the ledger (2 a page) lists each consenting person once, in order.
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await activities.listConsentingRecipients({ campaignId, channel: 'EMAIL', purpose: 'surveys', cursor, limit: 2 });
      listed.push(...page.userIds);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(listed).toEqual(expect.arrayContaining([withdraws, stays, erased]));
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(listed);

    await change(withdraws, false); // after listing, before sending
    const address = (userId: string) => ({ email: `${userId}@example.test`, locale: 'en' as const });
    expect(await activities.sendCommercialEmail({ campaignId, userId: withdraws, to: address(withdraws) })).toEqual({ status: 'SKIPPED', reason: 'NO_CONSENT' });
    expect(await activities.sendCommercialEmail({ campaignId, userId: erased, to: null })).toEqual({ status: 'SKIPPED', reason: 'NO_ADDRESS' });
    expect(await activities.sendCommercialEmail({ campaignId, userId: stays, to: address(stays) })).toEqual({ status: 'SENT', reason: null });
    // A retried activity answers the first outcome and records nothing new.
    await change(stays, false);
    expect(await activities.sendCommercialEmail({ campaignId, userId: stays, to: address(stays) })).toEqual({ status: 'SENT', reason: null });

    expect(sent.map((s) => s.key)).toEqual([`commercial/${campaignId}/${stays}`, `commercial/${campaignId}/${stays}`]);
    expect(sent[0]!.headers).toEqual({ 'List-Unsubscribe': expect.stringMatching(/^<.+\/unsubscribe\?token=.+>$/), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    const records = await live.CommercialMessageDelivery.find({ campaignId }).sort({ userId: 1 }).lean();
    expect(records.map((r) => [r.userId, r.status, r.reason]).sort()).toEqual(
      [
        [withdraws, 'SKIPPED', 'NO_CONSENT'],
        [erased, 'SKIPPED', 'NO_ADDRESS'],
        [stays, 'SENT', null],
      ].sort(),
    );
    await expect(live.CommercialMessageDelivery.updateOne({ campaignId, userId: stays }, { $set: { status: 'SKIPPED' } })).rejects.toBeInstanceOf(AppendOnlyLedgerError);
    await expect(live.CommercialMessageDelivery.deleteMany({ campaignId })).rejects.toBeInstanceOf(AppendOnlyLedgerError);
  });
});
