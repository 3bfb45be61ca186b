// Issue 5 (consent): CON-2 acceptance records. Accounts hands the documents a
// person accepts at sign-up or when joining by invitation to consent through
// recordLegalAcceptancesWorkflow; consent keeps them append-only in
// legal_acceptances (who, which version and hash, when, how, IP, user agent)
// and shows them on User.legalAcceptances to the person and DPO operators.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { connectDatabase, loadConfig } from '@omurga/shared';
import { LEGAL_DOCUMENT_VERSION_UNKNOWN } from '@omurga/shared/contracts';
import { connectTemporalClient } from '@omurga/shared/temporal';
import { legalAcceptanceActivities } from '../../services/consent/src/acceptances.ts';
import { receiptSettings } from '../../services/consent/src/consent-ledger.ts';
import { AppendOnlyLedgerError, consentModels, type ConsentModels } from '../../services/consent/src/models.ts';
import { AUTH_FIELDS, LOG_IN, SIGN_UP, clientIp, currentDocumentIds, signUpInput, tokenFromEmail, uniqueEmail } from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';
import { subjectKeys } from '../../services/consent/src/personal-data/subject-keys.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const config = loadConfig({ ...process.env, ...stack.env });

const ACCEPTANCE_FIELDS = `kind version locale contentHash acceptedAt method organizationId ip userAgent
  documentVersion { id kind version locale contentHash }`;
const MY_ACCEPTANCES = `{ me { id legalAcceptances { ${ACCEPTANCE_FIELDS} } } }`;

interface Acceptance {
  kind: string;
  version: number;
  locale: string;
  contentHash: string;
  acceptedAt: string;
  method: string;
  organizationId: string | null;
  ip: string | null;
  userAgent: string | null;
  documentVersion: { id: string; kind: string; version: number; locale: string; contentHash: string };
}

let operatorToken: string;
let accountsDb: Connection;

beforeAll(async () => {
  const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = logIn.data!.logIn.accessToken;
  accountsDb = await connectDatabase(config, 'accounts');
});

afterAll(async () => {
  await accountsDb?.close();
});

/** Signs up with a known IP and user agent, verifies, and answers the session. */
async function signUp(ip: string, userAgent: string) {
  const documentIds = await currentDocumentIds(gw);
  const input = signUpInput({ acceptedDocumentVersionIds: documentIds });
  const headers = { 'x-forwarded-for': ip, 'user-agent': userAgent };
  const signedUp = await graphql(gw, SIGN_UP, { variables: { input }, headers });
  expect(signedUp.data!.signUp.userErrors).toEqual([]);
  const { token } = await tokenFromEmail(stack.mailCatcherUrl, input.email as string, /doğrulayın|Verify/);
  const verified = await graphql(gw, `mutation($t: String!) { verifyEmail(token: $t) { ${AUTH_FIELDS} } }`, { variables: { t: token }, headers });
  return {
    documentIds,
    email: input.email as string,
    userId: signedUp.data!.signUp.user.id as string,
    organizationId: signedUp.data!.signUp.organization.id as string,
    accessToken: verified.data!.verifyEmail.accessToken as string,
  };
}

/** The hand-over runs through Temporal: waits until `count` acceptances are visible (the suite's timeout bounds it). */
async function acceptancesOf(token: string, count: number): Promise<Acceptance[]> {
  for (;;) {
    const response = await graphql(gw, MY_ACCEPTANCES, { token });
    expect(response.errors).toBeUndefined();
    const acceptances = response.data!.me.legalAcceptances as Acceptance[];
    if (acceptances.length >= count) return acceptances;
    await sleep(200);
  }
}

describe('acceptance records (CON-2)', () => {
  it('CON-2: sign-up records one CHECKBOX acceptance per accepted version in consent, with hash, server time, IP and user agent; accounts keeps no copy', async () => {
    const before = Date.now();
    const person = await signUp('203.0.113.21', 'acceptance-e2e/1.0');
    const acceptances = await acceptancesOf(person.accessToken, 2);

    expect(acceptances).toHaveLength(2);
    expect(acceptances.map((a) => a.documentVersion.id).sort()).toEqual([...person.documentIds].sort());
    expect(acceptances.map((a) => a.kind).sort()).toEqual(['INFORMATION_NOTICE', 'USER_AGREEMENT']);
    for (const acceptance of acceptances) {
      expect(acceptance).toMatchObject({ method: 'CHECKBOX', organizationId: person.organizationId, ip: '203.0.113.21', userAgent: 'acceptance-e2e/1.0', locale: 'tr' });
      // The record copies the version it names: which text, exactly (CON-2 "which document version (hash)").
      expect(acceptance.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect([acceptance.kind, acceptance.version, acceptance.locale, acceptance.contentHash]).toEqual([
        acceptance.documentVersion.kind,
        acceptance.documentVersion.version,
        acceptance.documentVersion.locale,
        acceptance.documentVersion.contentHash,
      ]);
      expect(Date.parse(acceptance.acceptedAt)).toBeGreaterThanOrEqual(before - 1000);
    }

    // Accounts no longer stores the acceptances on the person.
    const stored = await accountsDb.collection('users').findOne({ _id: new mongoose.Types.ObjectId(person.userId) });
    expect(stored).not.toBeNull();
    expect(stored).not.toHaveProperty('acceptedDocuments');
  });

  it('CON-2: a person joining by invitation gets their acceptances recorded for the organisation they join', async () => {
    const owner = await signUp(clientIp(), 'owner-browser/1.0');
    const invitee = uniqueEmail('acceptance-invitee');
    const invite = await graphql(gw, 'mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: AGENT) }', {
      token: owner.accessToken,
      variables: { o: owner.organizationId, e: invitee },
    });
    expect(invite.data!.inviteMember).toBe(true);
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, invitee, /davet ediyor/);
    const accepted = await graphql(gw, `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${AUTH_FIELDS} } }`, {
      variables: { input: { token, firstName: 'Mehmet', lastName: 'Kaya', password: 'Deniz-Feneri-Sabah-9', ageConfirmed: true, acceptedDocumentVersionIds: owner.documentIds } },
      headers: { 'x-forwarded-for': '203.0.113.77', 'user-agent': 'invitee-browser/2.0' },
    });
    expect(accepted.data!.acceptInvitation.userErrors).toEqual([]);
    const acceptances = await acceptancesOf(accepted.data!.acceptInvitation.accessToken, 2);
    expect(acceptances.map((a) => [a.method, a.organizationId, a.ip, a.userAgent])).toEqual([
      ['CHECKBOX', owner.organizationId, '203.0.113.77', 'invitee-browser/2.0'],
      ['CHECKBOX', owner.organizationId, '203.0.113.77', 'invitee-browser/2.0'],
    ]);
  });

  it('CON-2: the person and DPO operators read the acceptances; fellow members are refused (FORBIDDEN)', async () => {
    const owner = await signUp(clientIp(), 'owner/1.0');
    await acceptancesOf(owner.accessToken, 2);
    const MEMBERS = `query($o: ID!) { organization(id: $o) { members { user { id legalAcceptances { method documentVersion { id } } } } } }`;

    // The bootstrap operator is SUPER_ADMIN, which includes DPO.
    const asOperator = await graphql(gw, MEMBERS, { token: operatorToken, variables: { o: owner.organizationId } });
    expect(asOperator.errors).toBeUndefined();
    expect(asOperator.data!.organization.members[0].user.legalAcceptances).toHaveLength(2);

    const other = await signUp(clientIp(), 'other/1.0');
    const asStranger = await graphql(gw, `query($o: ID!) { organization(id: $o) { id } }`, { token: other.accessToken, variables: { o: owner.organizationId } });
    expect(asStranger.data?.organization ?? null).toBeNull();

    // A member of the same organisation sees the owner, but not the owner's acceptance records.
    const invitee = uniqueEmail('acceptance-member');
    await graphql(gw, 'mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: ADMIN) }', {
      token: owner.accessToken,
      variables: { o: owner.organizationId, e: invitee },
    });
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, invitee, /davet ediyor/);
    const joined = await graphql(gw, `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${AUTH_FIELDS} } }`, {
      variables: { input: { token, firstName: 'Elif', lastName: 'Şahin', password: 'Mavi-Kapi-Yesil-Bahce-7', ageConfirmed: true, acceptedDocumentVersionIds: owner.documentIds } },
    });
    const member = joined.data!.acceptInvitation.accessToken as string;
    const asMember = await graphql(gw, MEMBERS, { token: member, variables: { o: owner.organizationId } });
    expect(errorCodes(asMember)).toContain('FORBIDDEN');
  });

  it('CON-2: no API changes or removes an acceptance: the schema has no such mutation', async () => {
    const mutations = await graphql(gw, '{ __schema { mutationType { fields { name } } } }');
    const names = (mutations.data!.__schema.mutationType.fields as { name: string }[]).map((f) => f.name);
    expect(names.filter((name) => /acceptance/i.test(name))).toEqual([]);
  });
});

describe('legal_acceptances is append-only (CON-2)', () => {
  let db: Connection;
  let models: ConsentModels;

  beforeAll(async () => {
    db = mongoose.createConnection(stack.env.MONGODB_URI!, { dbName: `consent_acceptances_${randomUUID().replaceAll('-', '').slice(0, 12)}` });
    await db.asPromise();
    models = consentModels(db);
    await Promise.all([models.LegalAcceptance.init(), models.LegalDocumentVersion.init()]);
  });

  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });

  it('CON-2: refuses every mongoose update and delete path and leaves the record as it was', async () => {
    const entry = {
      userId: 'u-acceptance',
      organizationId: null,
      documentVersionId: new mongoose.Types.ObjectId().toString(),
      kind: 'USER_AGREEMENT',
      version: 1,
      locale: 'tr',
      contentHash: 'a'.repeat(64),
      acceptedAt: new Date(),
      recordedAt: new Date(),
      method: 'CHECKBOX',
      ip: '203.0.113.1',
      userAgent: 'ua',
    } as const;
    const [doc] = await models.LegalAcceptance.create([entry]);
    const id = doc!._id;
    const A = models.LegalAcceptance;
    const change = { method: 'API' } as const;
    const attempts: [string, () => Promise<unknown>][] = [
      ['updateOne', () => A.updateOne({ _id: id }, change)],
      ['updateMany', () => A.updateMany({}, change)],
      ['findOneAndUpdate', () => A.findOneAndUpdate({ _id: id }, change)],
      ['findByIdAndUpdate', () => A.findByIdAndUpdate(id, change)],
      ['replaceOne', () => A.replaceOne({ _id: id }, { ...entry, ...change })],
      ['findOneAndReplace', () => A.findOneAndReplace({ _id: id }, { ...entry, ...change })],
      ['deleteOne', () => A.deleteOne({ _id: id })],
      ['deleteMany', () => A.deleteMany({})],
      ['findOneAndDelete', () => A.findOneAndDelete({ _id: id })],
      ['findByIdAndDelete', () => A.findByIdAndDelete(id)],
      ['bulkWrite updateOne', () => A.bulkWrite([{ updateOne: { filter: { _id: id }, update: change } }])],
      ['bulkWrite updateMany', () => A.bulkWrite([{ updateMany: { filter: {}, update: change } }])],
      ['bulkWrite replaceOne', () => A.bulkWrite([{ replaceOne: { filter: { _id: id }, replacement: { ...entry, ...change } } }])],
      ['bulkWrite deleteOne', () => A.bulkWrite([{ deleteOne: { filter: { _id: id } } }])],
      ['bulkWrite deleteMany', () => A.bulkWrite([{ deleteMany: { filter: {} } }])],
      ['document save', async () => {
        const loaded = (await A.findById(id))!;
        loaded.method = 'API';
        return loaded.save();
      }],
      ['document updateOne', async () => (await A.findById(id))!.updateOne(change)],
      ['document deleteOne', async () => (await A.findById(id))!.deleteOne()],
    ];
    for (const [path, attempt] of attempts) {
      await expect(attempt(), path).rejects.toBeInstanceOf(AppendOnlyLedgerError);
    }
    const stored = await A.find({}).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ _id: id, method: 'CHECKBOX', ip: '203.0.113.1' });

    // One record per person and version: a second one is refused by the unique index.
    await expect(A.create({ ...entry, method: 'API' })).rejects.toMatchObject({ code: 11000 });
    // Appending other records is still allowed.
    await A.create({ ...entry, documentVersionId: new mongoose.Types.ObjectId().toString() });
    expect(await A.countDocuments({})).toBe(2);
  });

  it('CON-2: recordLegalAcceptances is idempotent and refuses unknown versions without retries', async () => {
    const [version] = await models.LegalDocumentVersion.create([
      { kind: 'INFORMATION_NOTICE', locale: 'en', version: 1, body: 'notice', contentHash: 'b'.repeat(64), effectiveAt: new Date() },
    ]);
    const temporal = await connectTemporalClient(loadConfig({ ...process.env, ...stack.env }));
    onTestFinished(() => temporal.connection.close());
    const activities = legalAcceptanceActivities(models, temporal, receiptSettings('http://app.test'));
    const input = {
      userId: 'u-activity',
      organizationId: 'org-x',
      documentVersionIds: [version!._id.toString()],
      method: 'CHECKBOX' as const,
      acceptedAt: '2026-11-21T09:30:00.000Z',
      ip: '203.0.113.9',
      userAgent: 'ua/1',
    };
    expect(await activities.recordLegalAcceptances(input)).toEqual({ recorded: 1 });
    expect(await activities.recordLegalAcceptances({ ...input, ip: '203.0.113.10' })).toEqual({ recorded: 0 });
    const stored = await models.LegalAcceptance.find({ userId: 'u-activity' }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'INFORMATION_NOTICE', locale: 'en', version: 1, contentHash: 'b'.repeat(64), acceptedAt: new Date(input.acceptedAt) });
    // CON-6: the IP is sealed with the person's key (readable until erasure shreds it).
    expect(stored[0]!.ip).not.toContain('203.0.113.9');
    expect(await subjectKeys(models).open('u-activity', stored[0]!.ip ?? null)).toBe('203.0.113.9');

    // CON-3: a consent given in the same form is recorded once, however often the hand-over runs.
    const withConsent = { ...input, consents: [{ channel: 'EMAIL' as const, purpose: 'marketing', locale: 'en' as const }] };
    await activities.recordLegalAcceptances(withConsent);
    await activities.recordLegalAcceptances(withConsent);
    const consents = await models.ConsentEvent.find({ userId: 'u-activity' }).lean();
    expect(consents.map((c) => ({ channel: c.channel, purpose: c.purpose, granted: c.granted, source: c.source }))).toEqual([
      { channel: 'EMAIL', purpose: 'marketing', granted: true, source: 'SIGN_UP' },
    ]);

    for (const ids of [[new mongoose.Types.ObjectId().toString()], ['not-an-id'], []]) {
      const failure = await activities.recordLegalAcceptances({ ...input, documentVersionIds: ids }).catch((e: unknown) => e);
      expect(failure).toMatchObject({ name: 'ApplicationFailure', type: LEGAL_DOCUMENT_VERSION_UNKNOWN, nonRetryable: true });
    }
  });
});
