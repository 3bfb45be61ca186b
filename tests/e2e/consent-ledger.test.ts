// Issue 5 (consent): the explicit-consent ledger (CON-3, ETK art. 8) through the
// gateway, with the real consent service and database: grant, withdraw, the
// signed unsubscribe link without sign-in, receipts, and the append-only rule
// (CON-2/CON-3) enforced on every mongoose update and delete path.
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, loadConfig } from '@omurga/shared';
import { mayReceiveCommercialMessage } from '../../services/consent/src/consent-ledger.ts';
import { AppendOnlyLedgerError, consentModels, type ConsentModels } from '../../services/consent/src/models.ts';
import { createUnsubscribeToken, unsubscribeLink, unsubscribeSecret } from '../../services/consent/src/unsubscribe.ts';
import { LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';
import { subjectKeys } from '../../services/consent/src/personal-data/subject-keys.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const config = loadConfig({ ...process.env, ...stack.env });
// The secret the running consent service signs with.
const secret = unsubscribeSecret({ ...process.env, ...stack.env });

const SET_CONSENT = `mutation($channel: ConsentChannel!, $purpose: String!, $granted: Boolean!) {
  setConsent(channel: $channel, purpose: $purpose, granted: $granted) { channel purpose granted changedAt receiptId } }`;
const MY_CONSENTS = `{ me { id consents { channel purpose granted } } }`;
const HISTORY = `{ consentHistory { channel purpose granted at source receipt {
  receiptId version timestamp jurisdiction collectionMethod piiPrincipalId controllerName controllerContact policyUrl purposes } } }`;
const UNSUBSCRIBE = `mutation($token: String!) { unsubscribe(token: $token) }`;

let customer: SignedUp;
let operatorToken: string;
let serviceDb: Connection;
let live: ConsentModels;

async function setConsent(token: string, purpose: string, granted: boolean, channel = 'EMAIL') {
  return graphql(gw, SET_CONSENT, { token, variables: { channel, purpose, granted }, headers: { 'user-agent': 'consent-e2e/1.0' } });
}

async function myConsents(token: string) {
  const response = await graphql(gw, MY_CONSENTS, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.me.consents as { channel: string; purpose: string; granted: boolean }[];
}

beforeAll(async () => {
  const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = logIn.data!.logIn.accessToken;
  customer = await signUpAndVerify(stack);
  serviceDb = await connectDatabase(config, 'consent');
  live = consentModels(serviceDb);
});

afterAll(async () => {
  await serviceDb?.close();
});

describe('explicit consents (CON-3, ETK art. 8)', () => {
  it('grants, withdraws via the API, and withdraws at once via the signed unsubscribe link without sign-in', async () => {
    const granted = await setConsent(customer.accessToken, 'marketing', true);
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.setConsent).toMatchObject({ channel: 'EMAIL', purpose: 'marketing', granted: true, receiptId: expect.any(String) });
    expect(await myConsents(customer.accessToken)).toEqual([{ channel: 'EMAIL', purpose: 'marketing', granted: true }]);
    expect(await mayReceiveCommercialMessage(live, customer.userId, 'EMAIL', 'marketing')).toBe(true);

    const withdrawn = await setConsent(customer.accessToken, 'marketing', false);
    expect(withdrawn.data!.setConsent.granted).toBe(false);
    expect(await myConsents(customer.accessToken)).toEqual([{ channel: 'EMAIL', purpose: 'marketing', granted: false }]);

    expect((await setConsent(customer.accessToken, 'marketing', true)).data!.setConsent.granted).toBe(true);
    expect(await mayReceiveCommercialMessage(live, customer.userId, 'EMAIL', 'marketing')).toBe(true);

    // No Authorization header: the token alone names the person, channel and purpose.
    const token = createUnsubscribeToken(customer.userId, 'EMAIL', 'marketing', { secret });
    const unsubscribed = await graphql(gw, UNSUBSCRIBE, { variables: { token }, headers: { 'user-agent': 'mail-client/2.0' } });
    expect(unsubscribed.errors).toBeUndefined();
    expect(unsubscribed.data!.unsubscribe).toBe(true);
    // Honoured immediately, well inside the 3 business days ETK art. 8 allows.
    expect(await myConsents(customer.accessToken)).toEqual([{ channel: 'EMAIL', purpose: 'marketing', granted: false }]);
    expect(await mayReceiveCommercialMessage(live, customer.userId, 'EMAIL', 'marketing')).toBe(false);

    // Idempotent: the link again answers true and appends nothing.
    expect((await graphql(gw, UNSUBSCRIBE, { variables: { token } })).data!.unsubscribe).toBe(true);

    const history = await graphql(gw, HISTORY, { token: customer.accessToken });
    expect(history.errors).toBeUndefined();
    const events = history.data!.consentHistory as {
      granted: boolean;
      source: string;
      at: string;
      receipt: { receiptId: string; timestamp: string; jurisdiction: string; piiPrincipalId: string; policyUrl: string | null; purposes: string[]; collectionMethod: string; controllerName: string; controllerContact: string };
    }[];
    expect(events.map((e) => [e.granted, e.source])).toEqual([
      [true, 'API'],
      [false, 'API'],
      [true, 'API'],
      [false, 'UNSUBSCRIBE_LINK'],
    ]);
    expect([...events.map((e) => e.at)].sort()).toEqual(events.map((e) => e.at));
    expect(new Set(events.map((e) => e.receipt.receiptId)).size).toBe(4);
    expect(events[0]!.receipt.receiptId).toBe(granted.data!.setConsent.receiptId);
    for (const event of events) {
      expect(event.receipt).toMatchObject({
        jurisdiction: 'TR',
        piiPrincipalId: customer.userId,
        purposes: ['marketing'],
        collectionMethod: event.source,
        timestamp: event.at,
        controllerName: expect.any(String),
        controllerContact: expect.any(String),
      });
      expect(event.receipt.policyUrl).toMatch(/^http.*\/legal\/[0-9a-f]{24}$/);
    }
    // The request's user agent is recorded on the ledger entry (CON-2 "how").
    const stored = await live.ConsentEvent.find({ userId: customer.userId }).sort({ at: 1, _id: 1 }).lean();
    // Sealed with the person's key (CON-6 erasure shreds it without touching the ledger).
    const keys = subjectKeys(live);
    expect(await Promise.all(stored.map((e) => keys.open(customer.userId, e.userAgent ?? null)))).toEqual(['consent-e2e/1.0', 'consent-e2e/1.0', 'consent-e2e/1.0', 'mail-client/2.0']);
    expect(stored.every((e) => !e.userAgent?.includes('consent-e2e'))).toBe(true);
    expect((await Promise.all(stored.map((e) => keys.open(customer.userId, e.ip ?? null)))).every((ip) => typeof ip === 'string' && ip.length > 0)).toBe(true);
  });

  it('builds the unsubscribe link senders put in messages', () => {
    const link = unsubscribeLink({ publicAppUrl: 'https://panel.example.com/' }, 'u1', 'SMS', 'surveys', { secret });
    expect(link).toMatch(/^https:\/\/panel\.example\.com\/unsubscribe\?token=[\w-]+\.[\w-]+$/);
  });

  it('rejects a forged or altered unsubscribe token (BAD_USER_INPUT)', async () => {
    const forged = createUnsubscribeToken(customer.userId, 'EMAIL', 'marketing', { secret: 'not-the-secret' });
    const genuine = createUnsubscribeToken(customer.userId, 'EMAIL', 'marketing', { secret });
    const [body, signature] = genuine.split('.');
    const otherUser = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), userId: 'someone-else' })).toString('base64url');
    for (const token of [forged, `${otherUser}.${signature}`, 'garbage', '']) {
      const response = await graphql(gw, UNSUBSCRIBE, { variables: { token } });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('rejects an unknown purpose (BAD_USER_INPUT) and refuses setConsent to operators and anonymous callers', async () => {
    expect(errorCodes(await setConsent(customer.accessToken, 'telemarketing-partners', true))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await setConsent(operatorToken, 'marketing', true))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, SET_CONSENT, { variables: { channel: 'EMAIL', purpose: 'marketing', granted: true } }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(errorCodes(await graphql(gw, HISTORY, { token: operatorToken }))).toEqual(['FORBIDDEN']);
  });

  it('accepts the cookie categories and keeps each channel and purpose apart', async () => {
    const someone = await signUpAndVerify(stack);
    expect((await setConsent(someone.accessToken, 'cookies-analytics', true, 'PUSH')).errors).toBeUndefined();
    expect((await setConsent(someone.accessToken, 'surveys', true, 'SMS')).errors).toBeUndefined();
    expect(await myConsents(someone.accessToken)).toEqual(
      expect.arrayContaining([
        { channel: 'PUSH', purpose: 'cookies-analytics', granted: true },
        { channel: 'SMS', purpose: 'surveys', granted: true },
      ]),
    );
    // Opt-in: no recorded grant means no commercial message.
    expect(await mayReceiveCommercialMessage(live, someone.userId, 'EMAIL', 'surveys')).toBe(false);
  });
});

describe('the consent ledger is append-only (CON-2, CON-3)', () => {
  let db: Connection;
  let models: ConsentModels;

  beforeAll(async () => {
    db = mongoose.createConnection(stack.env.MONGODB_URI!, { dbName: `consent_ledger_${randomUUID().replaceAll('-', '').slice(0, 12)}` });
    await db.asPromise();
    models = consentModels(db);
    await models.ConsentEvent.init();
  });

  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });

  it('refuses every mongoose update and delete path and leaves the entry as it was', async () => {
    const entry = { userId: 'u-ledger', channel: 'EMAIL', purpose: 'marketing', granted: true, at: new Date(), source: 'API' } as const;
    const [doc] = await models.ConsentEvent.create([entry]);
    const id = doc!._id;
    const E = models.ConsentEvent;
    const attempts: [string, () => Promise<unknown>][] = [
      ['updateOne', () => E.updateOne({ _id: id }, { granted: false })],
      ['updateMany', () => E.updateMany({}, { granted: false })],
      ['findOneAndUpdate', () => E.findOneAndUpdate({ _id: id }, { granted: false })],
      ['findByIdAndUpdate', () => E.findByIdAndUpdate(id, { granted: false })],
      ['replaceOne', () => E.replaceOne({ _id: id }, { ...entry, granted: false })],
      ['findOneAndReplace', () => E.findOneAndReplace({ _id: id }, { ...entry, granted: false })],
      ['deleteOne', () => E.deleteOne({ _id: id })],
      ['deleteMany', () => E.deleteMany({})],
      ['findOneAndDelete', () => E.findOneAndDelete({ _id: id })],
      ['findByIdAndDelete', () => E.findByIdAndDelete(id)],
      ['bulkWrite updateOne', () => E.bulkWrite([{ updateOne: { filter: { _id: id }, update: { granted: false } } }])],
      ['bulkWrite deleteOne', () => E.bulkWrite([{ deleteOne: { filter: { _id: id } } }])],
      ['document save', async () => {
        const loaded = (await E.findById(id))!;
        loaded.granted = false;
        return loaded.save();
      }],
      ['document updateOne', async () => (await E.findById(id))!.updateOne({ granted: false })],
      ['document deleteOne', async () => (await E.findById(id))!.deleteOne()],
    ];
    for (const [path, attempt] of attempts) {
      await expect(attempt(), path).rejects.toBeInstanceOf(AppendOnlyLedgerError);
    }
    const stored = await E.find({}).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ _id: id, granted: true });

    // Appending is still allowed, one by one and in bulk.
    await E.create({ ...entry, granted: false, at: new Date() });
    await E.insertMany([{ ...entry, at: new Date() }]);
    await E.bulkWrite([{ insertOne: { document: { ...entry, at: new Date() } } }]);
    expect(await E.countDocuments({})).toBe(4);
  });
});
