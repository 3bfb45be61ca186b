// Issue 3 (accounts): the whole identity flow through the gateway, with real
// SMTP into the mail catcher, real Temporal and the real database.
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, loadConfig } from '@omurga/shared';
import { accountsActivities } from '../../services/accounts/src/activities.ts';
import { accountsModels } from '../../services/accounts/src/models.ts';
import { accountsPersonalDataActivities } from '../../services/accounts/src/personal-data-activities.ts';
import { connectTemporalClient } from '@omurga/shared/temporal';
import { documentRequestWorkflowId } from '@omurga/shared/contracts';
import {
  AUTH_FIELDS,
  IDS,
  LOG_IN,
  SIGN_UP,
  clientIp,
  currentDocumentIds,
  signUpAndVerify,
  signUpInput,
  tokenFromEmail,
  uniqueEmail,
  type SignedUp,
} from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { waitForEmail } from '../support/mail-catcher.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const REFRESH = `mutation($r: String!) { refreshSession(refreshToken: $r) { ${AUTH_FIELDS} } }`;

let documentIds: string[];
let operatorToken: string;
let temporal: Client;

async function logIn(email: string, password: string, ip = clientIp()) {
  const response = await graphql(gw, LOG_IN, { variables: { email, password }, headers: { 'x-forwarded-for': ip } });
  expect(response.errors).toBeUndefined();
  return response.data!.logIn as { accessToken: string | null; refreshToken: string | null; userErrors: { code: string; field: string[] }[] };
}

beforeAll(async () => {
  temporal = await connectTemporalClient(loadConfig({ ...process.env, ...stack.env }));
  documentIds = await currentDocumentIds(gw);
  operatorToken = (await logIn(E2E_OPERATOR.email, E2E_OPERATOR.password)).accessToken!;
});

afterAll(() => temporal?.connection.close());

describe('sign-up (ACC-1, ACC-2, ACC-3)', () => {
  const signUp = (overrides: Record<string, unknown>, locale = 'tr') =>
    graphql(gw, SIGN_UP, {
      variables: { input: signUpInput({ acceptedDocumentVersionIds: documentIds, ...overrides }) },
      headers: { 'accept-language': locale, 'x-forwarded-for': clientIp() },
    });

  it.each([
    ['INDIVIDUAL', { customerType: 'INDIVIDUAL', nationalId: IDS.tckn }],
    ['SOLE_PROPRIETOR', { customerType: 'SOLE_PROPRIETOR', nationalId: IDS.tckn2 }],
    ['CORPORATE', { customerType: 'CORPORATE', nationalId: null, taxId: IDS.vkn, taxOffice: 'Kadıköy', authorityConfirmed: true, companyName: 'Anadolu Bilişim A.Ş.' }],
  ])('signs up a %s customer, pending verification, with a customer code', async (type, overrides) => {
    const response = await signUp(overrides);
    expect(response.errors).toBeUndefined();
    const payload = response.data!.signUp;
    expect(payload.userErrors).toEqual([]);
    expect(payload.organization).toMatchObject({ customerType: type, status: 'PENDING_VERIFICATION' });
    expect(payload.organization.customerCode).toMatch(/^MUS-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(payload.user.emailVerified).toBe(false);
  });

  it.each([
    ['an invalid TC Kimlik No', { nationalId: '12345678901' }, 'INVALID_NATIONAL_ID', 'nationalId'],
    ['an invalid VKN', { customerType: 'CORPORATE', nationalId: null, taxId: '1234567891', taxOffice: 'Kadıköy', authorityConfirmed: true }, 'INVALID_TAX_ID', 'taxId'],
    ['an invalid phone', { phone: '12345' }, 'INVALID_PHONE', 'phone'],
    ['a VKN for an individual', { taxId: IDS.vkn }, 'NOT_ALLOWED_FOR_CUSTOMER_TYPE', 'taxId'],
    ['a company without a tax office', { customerType: 'CORPORATE', nationalId: null, taxId: IDS.vkn, authorityConfirmed: true }, 'REQUIRED', 'taxOffice'],
    ['a company without an authority declaration', { customerType: 'CORPORATE', nationalId: null, taxId: IDS.vkn, taxOffice: 'Kadıköy' }, 'AUTHORITY_CONFIRMATION_REQUIRED', 'authorityConfirmed'],
    ['no 18+ attestation', { ageConfirmed: false }, 'AGE_CONFIRMATION_REQUIRED', 'ageConfirmed'],
    ['the user agreement not accepted', { acceptedDocumentVersionIds: [] }, 'DOCUMENT_NOT_ACCEPTED', 'acceptedDocumentVersionIds'],
    ['a weak password', { password: 'Demir-1234567' }, 'WEAK_PASSWORD', 'password'],
    ['a malformed e-mail', { email: 'not-an-address' }, 'INVALID_EMAIL', 'email'],
    ['an unknown partner code', { referralPartnerCode: 'SO-NOPE99' }, 'UNKNOWN_PARTNER_CODE', 'referralPartnerCode'],
  ])('rejects %s with a field-level userError', async (_, overrides, code, field) => {
    const response = await signUp(overrides);
    expect(response.errors).toBeUndefined();
    expect(response.data!.signUp.user).toBeNull();
    expect(response.data!.signUp.userErrors).toEqual([expect.objectContaining({ code, field: ['input', field] })]);
  });

  it('answers in English when asked', async () => {
    const response = await signUp({ nationalId: '12345678901' }, 'en');
    expect(response.data!.signUp.userErrors[0].message).toBe('The Turkish national ID number (TCKN) is invalid.');
  });

  it('normalises the phone number to E.164', async () => {
    const account = await signUpAndVerify(stack, { phone: '0 (532) 123 45 67' });
    const me = await graphql(gw, '{ me { phone } }', { token: account.accessToken });
    expect(me.data!.me.phone).toBe('+905321234567');
  });

  it('refuses a second account for the same e-mail', async () => {
    const email = uniqueEmail('twice');
    expect((await signUp({ email })).data!.signUp.userErrors).toEqual([]);
    expect((await signUp({ email: email.toUpperCase() })).data!.signUp.userErrors).toEqual([expect.objectContaining({ code: 'EMAIL_TAKEN' })]);
  });

  it('verifies the e-mail through a single-use link, activating the organisation and signing in', async () => {
    const input = signUpInput({ acceptedDocumentVersionIds: documentIds });
    const created = await graphql(gw, SIGN_UP, { variables: { input }, headers: { 'x-forwarded-for': clientIp() } });
    const org = created.data!.signUp.organization;
    const { token, mail } = await tokenFromEmail(stack.mailCatcherUrl, input.email, /doğrulayın/);
    expect(mail.text).toContain(org.customerCode);

    expect((await logIn(input.email, input.password)).userErrors).toEqual([expect.objectContaining({ code: 'EMAIL_NOT_VERIFIED' })]);
    const VERIFY = `mutation($t: String!) { verifyEmail(token: $t) { ${AUTH_FIELDS} } }`;
    const verified = await graphql(gw, VERIFY, { variables: { t: token } });
    expect(verified.data!.verifyEmail.userErrors).toEqual([]);
    expect(verified.data!.verifyEmail.accessToken).toEqual(expect.any(String));

    const again = await graphql(gw, VERIFY, { variables: { t: token } });
    expect(again.data!.verifyEmail.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_OR_EXPIRED_TOKEN' })]);

    const status = await graphql(gw, `query($id: ID!) { organization(id: $id) { status statusHistory { from to reason } } }`, {
      token: verified.data!.verifyEmail.accessToken,
      variables: { id: org.id },
    });
    expect(status.data!.organization).toEqual({
      status: 'ACTIVE',
      statusHistory: [
        { from: null, to: 'PENDING_VERIFICATION', reason: 'SIGNED_UP' },
        { from: 'PENDING_VERIFICATION', to: 'ACTIVE', reason: 'EMAIL_VERIFIED' },
      ],
    });
    expect((await logIn(input.email, input.password)).userErrors).toEqual([]);
  });
});

describe('sessions (ACC-4)', () => {
  let account: SignedUp;
  beforeAll(async () => {
    account = await signUpAndVerify(stack);
  });

  it('rotates the refresh token, and reuse of a rotated one revokes the whole family', async () => {
    const session = await logIn(account.email, account.password);
    const first = await graphql(gw, REFRESH, { variables: { r: session.refreshToken } });
    const rotated = first.data!.refreshSession;
    expect(rotated.userErrors).toEqual([]);
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect((await graphql(gw, '{ me { email } }', { token: rotated.accessToken })).data!.me.email).toBe(account.email);

    // An attacker replays the stolen, already-rotated token...
    const replay = await graphql(gw, REFRESH, { variables: { r: session.refreshToken } });
    expect(replay.data!.refreshSession).toMatchObject({ accessToken: null, userErrors: [expect.objectContaining({ code: 'INVALID_REFRESH_TOKEN' })] });
    // ...and the legitimate newest token of that family is dead too.
    const owner = await graphql(gw, REFRESH, { variables: { r: rotated.refreshToken } });
    expect(owner.data!.refreshSession.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_REFRESH_TOKEN' })]);
    // Other sessions of the same person are untouched.
    const other = await graphql(gw, REFRESH, { variables: { r: account.refreshToken } });
    expect(other.data!.refreshSession.userErrors).toEqual([]);
    account.refreshToken = other.data!.refreshSession.refreshToken;
  });

  it('logs out: the session refresh token stops working', async () => {
    const session = await logIn(account.email, account.password);
    expect((await graphql(gw, 'mutation { logOut }', { token: session.accessToken! })).data!.logOut).toBe(true);
    const after = await graphql(gw, REFRESH, { variables: { r: session.refreshToken } });
    expect(after.data!.refreshSession.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_REFRESH_TOKEN' })]);
    expect(errorCodes(await graphql(gw, 'mutation { logOut }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('blocks the source that guessed, not the owner: a correct password from another source still signs in (ACC-4, issue 13)', async () => {
    const victim = await signUpAndVerify(stack);
    const attacker = clientIp();
    for (let i = 0; i < 5; i++) {
      expect((await logIn(victim.email, `wrong-password-${i}`, attacker)).userErrors[0]!.code).toBe('INVALID_CREDENTIALS');
    }
    expect((await logIn(victim.email, victim.password, attacker)).userErrors[0]!.code).toBe('TOO_MANY_ATTEMPTS');
    const owner = await logIn(victim.email, victim.password);
    expect(owner.userErrors).toEqual([]);
    expect(owner.accessToken).toEqual(expect.any(String));
    // An address without an account behaves exactly the same.
    const nobody = uniqueEmail('nobody');
    const prober = clientIp();
    for (let i = 0; i < 5; i++) expect((await logIn(nobody, 'whatever-password', prober)).userErrors[0]!.code).toBe('INVALID_CREDENTIALS');
    expect((await logIn(nobody, 'whatever-password', prober)).userErrors[0]!.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('protects operators the same way: guesses from one source do not lock the operator out (ACC-4, ACC-10, issue 13)', async () => {
    const attacker = clientIp();
    for (let i = 0; i < 5; i++) expect((await logIn(E2E_OPERATOR.email, `wrong-${i}`, attacker)).userErrors[0]!.code).toBe('INVALID_CREDENTIALS');
    expect((await logIn(E2E_OPERATOR.email, E2E_OPERATOR.password, attacker)).userErrors[0]!.code).toBe('TOO_MANY_ATTEMPTS');
    expect((await logIn(E2E_OPERATOR.email, E2E_OPERATOR.password)).userErrors).toEqual([]);
  });

  it('under a guessing attack from many sources, the owner signs in from a known source or after the e-mailed reset (ACC-4, issue 13)', async () => {
    const victim = await signUpAndVerify(stack);
    const home = clientIp();
    expect((await logIn(victim.email, victim.password, home)).userErrors).toEqual([]);
    for (let i = 0; i < 20; i++) expect((await logIn(victim.email, `guess-${i}`)).userErrors[0]!.code).toBe('INVALID_CREDENTIALS');
    expect((await logIn(victim.email, victim.password)).userErrors[0]!.code).toBe('TOO_MANY_ATTEMPTS');
    expect((await logIn(victim.email, victim.password, home)).userErrors).toEqual([]);
    // The same for an address without an account: a new source is refused as for a known one.
    const nobody = uniqueEmail('nobody-distributed');
    for (let i = 0; i < 20; i++) expect((await logIn(nobody, `guess-${i}`)).userErrors[0]!.code).toBe('INVALID_CREDENTIALS');
    expect((await logIn(nobody, 'whatever-password')).userErrors[0]!.code).toBe('TOO_MANY_ATTEMPTS');
    // The e-mailed password reset is the unlock for a new source.
    await graphql(gw, 'mutation($e: String!) { requestPasswordReset(email: $e) }', { variables: { e: victim.email } });
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, victim.email, /Parola sıfırlama/);
    const newPassword = 'Unlocked-After-Reset-9';
    const reset = await graphql(gw, `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) { ${AUTH_FIELDS} } }`, {
      variables: { t: token, p: newPassword },
      headers: { 'x-forwarded-for': clientIp() },
    });
    expect(reset.data!.resetPassword.userErrors).toEqual([]);
    expect((await logIn(victim.email, newPassword)).userErrors).toEqual([]);
  });

  it('throttles one address that tries many accounts', async () => {
    const ip = clientIp();
    for (let i = 0; i < 30; i++) await logIn(uniqueEmail('spray'), 'Password-Spray-1', ip);
    expect((await logIn(account.email, account.password, ip)).userErrors[0]!.code).toBe('TOO_MANY_ATTEMPTS');
    expect((await logIn(account.email, account.password)).userErrors).toEqual([]);
  });

  it('resets the password by e-mail: single use, policy checked, every session ended', async () => {
    const reset = (email: string) => graphql(gw, 'mutation($e: String!) { requestPasswordReset(email: $e) }', { variables: { e: email } });
    const unknown = uniqueEmail('unknown');
    expect((await reset(unknown)).data!.requestPasswordReset).toBe(true);
    expect((await reset(account.email)).data!.requestPasswordReset).toBe(true);
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, account.email, /Parola sıfırlama/);
    const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) { ${AUTH_FIELDS} } }`;

    const weak = await graphql(gw, RESET, { variables: { t: token, p: 'short' } });
    expect(weak.data!.resetPassword.userErrors).toEqual([expect.objectContaining({ code: 'TOO_SHORT', field: ['newPassword'] })]);
    const done = await graphql(gw, RESET, { variables: { t: token, p: 'Yeni-Guclu-Parola-2026' } });
    expect(done.data!.resetPassword.userErrors).toEqual([]);
    expect(done.data!.resetPassword.accessToken).toEqual(expect.any(String));
    expect((await graphql(gw, RESET, { variables: { t: token, p: 'Baska-Parola-2027' } })).data!.resetPassword.userErrors[0].code).toBe('INVALID_OR_EXPIRED_TOKEN');

    expect((await logIn(account.email, account.password)).userErrors[0]!.code).toBe('INVALID_CREDENTIALS');
    expect((await logIn(account.email, 'Yeni-Guclu-Parola-2026')).userErrors).toEqual([]);
    const old = await graphql(gw, REFRESH, { variables: { r: account.refreshToken } });
    expect(old.data!.refreshSession.userErrors[0].code).toBe('INVALID_REFRESH_TOKEN');
    // No reset mail was sent to the unknown address.
    const mails = (await (await fetch(`${stack.mailCatcherUrl}/email`)).json()) as { to: { address: string }[]; subject: string }[];
    expect(mails.filter((m) => m.subject === 'Parola sıfırlama' && m.to.some((a) => a.address === unknown))).toEqual([]);
    account.password = 'Yeni-Guclu-Parola-2026';
  });

  it('changes the e-mail address only when confirmed at the new one, telling the old one (ACC-8)', async () => {
    const person = await signUpAndVerify(stack);
    const newEmail = uniqueEmail('moved');
    const request = await graphql(gw, 'mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, password: $p) { ok userErrors { code } } }', {
      token: person.accessToken,
      variables: { e: newEmail, p: person.password },
    });
    expect(request.data!.requestEmailChange).toEqual({ ok: true, userErrors: [] });
    await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === person.email) && /değişikliği istendi/.test(m.subject));
    expect((await logIn(person.email, person.password)).userErrors).toEqual([]); // nothing changed yet
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, newEmail, /onaylayın/);
    const confirm = await graphql(gw, 'mutation($t: String!) { confirmEmailChange(token: $t) { user { email } userErrors { code } } }', { variables: { t: token } });
    expect(confirm.data!.confirmEmailChange).toEqual({ user: { email: newEmail }, userErrors: [] });
    await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === person.email) && /adresiniz değişti/.test(m.subject));
    expect((await logIn(newEmail, person.password)).userErrors).toEqual([]);
    expect((await logIn(person.email, person.password)).userErrors[0]!.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('organisations and members (ACC-5)', () => {
  it('invites a new person by e-mail, who joins with their own login; the last owner cannot leave', async () => {
    const owner = await signUpAndVerify(stack);
    const invitee = uniqueEmail('agent');
    const invite = await graphql(gw, 'mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: AGENT) }', {
      token: owner.accessToken,
      variables: { o: owner.organizationId, e: invitee },
    });
    expect(invite.data!.inviteMember).toBe(true);
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, invitee, /davet ediyor/);
    const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${AUTH_FIELDS} } }`;
    const incomplete = await graphql(gw, ACCEPT, { variables: { input: { token } } });
    expect(incomplete.data!.acceptInvitation.userErrors.map((e: { code: string }) => e.code)).toEqual(['REQUIRED', 'REQUIRED', 'REQUIRED']);
    const accepted = await graphql(gw, ACCEPT, {
      variables: { input: { token, firstName: 'Mehmet', lastName: 'Kaya', password: 'Deniz-Feneri-Sabah-9', ageConfirmed: true, acceptedDocumentVersionIds: documentIds } },
    });
    expect(accepted.data!.acceptInvitation.userErrors).toEqual([]);
    const agent = await graphql(gw, '{ me { emailVerified memberships { role organization { id } } } }', { token: accepted.data!.acceptInvitation.accessToken });
    expect(agent.data!.me).toEqual({ emailVerified: true, memberships: [{ role: 'AGENT', organization: { id: owner.organizationId } }] });

    const members = await graphql(gw, 'query($o: ID!) { organization(id: $o) { members { role user { email } } } }', { token: owner.accessToken, variables: { o: owner.organizationId } });
    expect(members.data!.organization.members.map((m: { role: string }) => m.role).sort()).toEqual(['AGENT', 'OWNER']);

    const leave = await graphql(gw, 'mutation($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) { ok userErrors { code } } }', {
      token: owner.accessToken,
      variables: { o: owner.organizationId, u: owner.userId },
    });
    expect(leave.data!.removeMember).toEqual({ ok: false, userErrors: [{ code: 'LAST_OWNER' }] });
  });

  it('adds an existing person to a second organisation instead of creating a second login', async () => {
    const [a, b] = [await signUpAndVerify(stack), await signUpAndVerify(stack)];
    await graphql(gw, 'mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: READ_ONLY) }', {
      token: a.accessToken,
      variables: { o: a.organizationId, e: b.email },
    });
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, b.email, /davet ediyor/);
    const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${AUTH_FIELDS} } }`;
    const anonymous = await graphql(gw, ACCEPT, { variables: { input: { token, firstName: 'X', lastName: 'Y', password: 'Bambaska-Parola-77', ageConfirmed: true, acceptedDocumentVersionIds: documentIds } } });
    expect(anonymous.data!.acceptInvitation.userErrors[0].code).toBe('SIGN_IN_REQUIRED');
    const joined = await graphql(gw, ACCEPT, { token: b.accessToken, variables: { input: { token } } });
    expect(joined.data!.acceptInvitation.userErrors).toEqual([]);
    const me = await graphql(gw, '{ me { memberships { role organization { id } } } }', { token: joined.data!.acceptInvitation.accessToken });
    expect(me.data!.me.memberships).toHaveLength(2);
    expect(me.data!.me.memberships).toContainEqual({ role: 'READ_ONLY', organization: { id: a.organizationId } });
  });
});

describe('tenant isolation', () => {
  it('gives a user of organisation A FORBIDDEN or nothing for every operation naming organisation B', async () => {
    const [a, b] = [await signUpAndVerify(stack), await signUpAndVerify(stack)];
    const requestDocs = await graphql(gw, 'mutation($o: ID!) { requestDocuments(organizationId: $o, kinds: [IDENTITY]) { request { id } } }', {
      token: operatorToken,
      variables: { o: b.organizationId },
    });
    const requestOfB = requestDocs.data!.requestDocuments.request.id;
    const operations: [string, string, Record<string, unknown>][] = [
      ['organization', 'query($o: ID!) { organization(id: $o) { id name } }', { o: b.organizationId }],
      ['inviteMember', 'mutation($o: ID!) { inviteMember(organizationId: $o, email: "x@example.com", role: ADMIN) }', { o: b.organizationId }],
      ['changeMemberRole', 'mutation($o: ID!, $u: ID!) { changeMemberRole(organizationId: $o, userId: $u, role: READ_ONLY) { ok } }', { o: b.organizationId, u: b.userId }],
      ['removeMember', 'mutation($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) { ok } }', { o: b.organizationId, u: b.userId }],
      ['createApiKey', 'mutation($o: ID!) { createApiKey(organizationId: $o, name: "k", scopes: ["customers:read"]) { apiKey } }', { o: b.organizationId }],
      ['revokeApiKey', 'mutation($o: ID!) { revokeApiKey(organizationId: $o, keyId: "000000000000000000000000") { ok } }', { o: b.organizationId }],
      ['addLicensedResource', 'mutation($o: ID!) { addLicensedResource(organizationId: $o, kind: DOMAIN, value: "example.com.tr") { resource { id } } }', { o: b.organizationId }],
      ['submitDocument', 'mutation($r: ID!) { submitDocument(requestId: $r, kind: IDENTITY, fileName: "id.pdf", contentType: "application/pdf", contentBase64: "JVBERi0=") { request { id } } }', { r: requestOfB }],
      ['suspendOrganization', 'mutation($o: ID!) { suspendOrganization(id: $o, reason: "ABUSE") { status } }', { o: b.organizationId }],
      ['reinstateOrganization', 'mutation($o: ID!) { reinstateOrganization(id: $o) { status } }', { o: b.organizationId }],
      ['terminateOrganization', 'mutation($o: ID!) { terminateOrganization(id: $o, reason: "x") { status } }', { o: b.organizationId }],
      ['requestDocuments', 'mutation($o: ID!) { requestDocuments(organizationId: $o, kinds: [IDENTITY]) { request { id } } }', { o: b.organizationId }],
      ['approvePartner', 'mutation($o: ID!) { approvePartner(organizationId: $o) { partnerCode } }', { o: b.organizationId }],
      ['operatorAuditLog', 'query($o: ID!) { operatorAuditLog(targetId: $o) { edges { node { id } } } }', { o: b.organizationId }],
      ['partnerCustomers', '{ partnerCustomers { edges { node { id } } } }', {}],
    ];
    for (const [name, query, variables] of operations) {
      const response = await graphql(gw, query, { token: a.accessToken, variables });
      expect(errorCodes(response), name).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(response.data ?? null), name).not.toContain(b.organizationId);
    }
    // B is untouched and still sees its own organisation.
    const own = await graphql(gw, 'query($o: ID!) { organization(id: $o) { status members { role } } }', { token: b.accessToken, variables: { o: b.organizationId } });
    expect(own.data!.organization).toEqual({ status: 'ACTIVE', members: [{ role: 'OWNER' }] });
  });
});

describe('partners (ACC-9)', () => {
  it('issues a scoped key shown once, exchanges it for a short-lived token that reaches referred customers only', async () => {
    const partner = await signUpAndVerify(stack, { customerType: 'CORPORATE', nationalId: null, taxId: IDS.vkn2, taxOffice: 'Şişli', authorityConfirmed: true, companyName: 'Bayi Yazılım Ltd.' });
    const stranger = await signUpAndVerify(stack);
    const CREATE_KEY = 'mutation($o: ID!, $s: [String!]!) { createApiKey(organizationId: $o, name: "CRM", scopes: $s) { apiKey keyId userErrors { code } } }';

    const notYet = await graphql(gw, CREATE_KEY, { token: partner.accessToken, variables: { o: partner.organizationId, s: ['customers:read'] } });
    expect(notYet.data!.createApiKey.userErrors).toEqual([{ code: 'NOT_A_PARTNER' }]);
    const approved = await graphql(gw, 'mutation($o: ID!) { approvePartner(organizationId: $o) { partnerCode } }', { token: operatorToken, variables: { o: partner.organizationId } });
    const partnerCode = approved.data!.approvePartner.partnerCode as string;
    expect(partnerCode).toMatch(/^SO-/);

    const badScope = await graphql(gw, CREATE_KEY, { token: partner.accessToken, variables: { o: partner.organizationId, s: ['billing:write'] } });
    expect(badScope.data!.createApiKey.userErrors).toEqual([{ code: 'INVALID_SCOPE' }]);
    const created = await graphql(gw, CREATE_KEY, { token: partner.accessToken, variables: { o: partner.organizationId, s: ['customers:read', 'customers:write'] } });
    const { apiKey, keyId } = created.data!.createApiKey;
    expect(apiKey).toMatch(/^omk_[0-9a-f]{16}_/);

    const EXCHANGE = `mutation($k: String!) { exchangeApiKey(apiKey: $k) { ${AUTH_FIELDS} } }`;
    const exchanged = await graphql(gw, EXCHANGE, { variables: { k: apiKey } });
    expect(exchanged.data!.exchangeApiKey).toMatchObject({ refreshToken: null, user: null, userErrors: [] });
    const partnerToken = exchanged.data!.exchangeApiKey.accessToken as string;
    expect(new Date(exchanged.data!.exchangeApiKey.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(600_000);

    // A customer who signs up with the partner code, and one the partner opens itself.
    const referred = await signUpAndVerify(stack, { referralPartnerCode: partnerCode.toLowerCase() });
    const opened = await graphql(
      gw,
      'mutation($input: ReferredCustomerInput!) { createCustomerOrganization(input: $input) { organization { id status } userErrors { code field } } }',
      {
        token: partnerToken,
        variables: {
          input: {
            companyName: 'Müşteri Ticaret',
            customerType: 'SOLE_PROPRIETOR',
            nationalId: IDS.tckn,
            billingAddress: { line1: 'Atatürk Blv. 5', city: 'Ankara', country: 'TR' },
            ownerEmail: uniqueEmail('referred-owner'),
            ownerFirstName: 'Zeynep',
            ownerLastName: 'Arslan',
          },
        },
      },
    );
    expect(opened.data!.createCustomerOrganization).toMatchObject({ organization: { status: 'PENDING_VERIFICATION' }, userErrors: [] });
    const listed = await graphql(gw, '{ partnerCustomers { edges { node { id status } } } }', { token: partnerToken });
    expect(listed.data!.partnerCustomers.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
      [referred.organizationId, opened.data!.createCustomerOrganization.organization.id].sort(),
    );
    expect((await graphql(gw, 'query($o: ID!) { organization(id: $o) { customerCode } }', { token: partnerToken, variables: { o: referred.organizationId } })).data!.organization.customerCode).toBe(referred.customerCode);

    // Nothing else: not another customer, not its own people, not personal data, not a user API.
    for (const [query, variables] of [
      ['query($o: ID!) { organization(id: $o) { name } }', { o: stranger.organizationId }],
      ['query($o: ID!) { organization(id: $o) { members { role } } }', { o: referred.organizationId }],
      ['query($o: ID!) { organization(id: $o) { apiKeys { id } } }', { o: partner.organizationId }],
      ['mutation($o: ID!) { inviteMember(organizationId: $o, email: "x@example.com", role: OWNER) }', { o: referred.organizationId }],
    ] as const) {
      expect(errorCodes(await graphql(gw, query, { token: partnerToken, variables })), query).toEqual(['FORBIDDEN']);
    }
    expect((await graphql(gw, '{ me { id } }', { token: partnerToken })).data!.me).toBeNull();

    const keys = await graphql(gw, 'query($o: ID!) { organization(id: $o) { apiKeys { id prefix scopes lastUsedAt revokedAt } } }', { token: partner.accessToken, variables: { o: partner.organizationId } });
    expect(keys.data!.organization.apiKeys).toEqual([
      { id: keyId, prefix: apiKey.split('_')[1], scopes: ['customers:read', 'customers:write'], lastUsedAt: expect.any(String), revokedAt: null },
    ]);
    const revoked = await graphql(gw, 'mutation($o: ID!, $k: ID!) { revokeApiKey(organizationId: $o, keyId: $k) { ok } }', { token: partner.accessToken, variables: { o: partner.organizationId, k: keyId } });
    expect(revoked.data!.revokeApiKey.ok).toBe(true);
    expect((await graphql(gw, EXCHANGE, { variables: { k: apiKey } })).data!.exchangeApiKey.userErrors[0].code).toBe('INVALID_API_KEY');
  });
});

describe('operators (ACC-6, ACC-7, ACC-10, ACC-11)', () => {
  it('suspends and reinstates with an audit entry each, and keeps other suspensions', async () => {
    const customer = await signUpAndVerify(stack);
    const STATE = 'status suspensionReason suspensions { reason note }';
    const suspend = (reason: string) =>
      graphql(gw, `mutation($o: ID!, $r: String!) { suspendOrganization(id: $o, reason: $r, note: "ticket 42") { ${STATE} } }`, { token: operatorToken, variables: { o: customer.organizationId, r: reason } });
    expect((await suspend('abuse')).data!.suspendOrganization).toEqual({ status: 'SUSPENDED', suspensionReason: 'ABUSE', suspensions: [{ reason: 'ABUSE', note: 'ticket 42' }] });
    expect((await suspend('CHARGEBACK')).data!.suspendOrganization.suspensions).toHaveLength(2);
    expect(errorCodes(await suspend('BORED'))).toEqual(['BAD_USER_INPUT']);

    const lift = await graphql(gw, `mutation($o: ID!) { reinstateOrganization(id: $o, reason: ABUSE) { ${STATE} } }`, { token: operatorToken, variables: { o: customer.organizationId } });
    expect(lift.data!.reinstateOrganization).toEqual({ status: 'SUSPENDED', suspensionReason: 'CHARGEBACK', suspensions: [{ reason: 'CHARGEBACK', note: 'ticket 42' }] });
    const all = await graphql(gw, `mutation($o: ID!) { reinstateOrganization(id: $o) { ${STATE} } }`, { token: operatorToken, variables: { o: customer.organizationId } });
    expect(all.data!.reinstateOrganization).toEqual({ status: 'ACTIVE', suspensionReason: null, suspensions: [] });

    // Suspension never blocks reading one's own account.
    const log = await graphql(gw, 'query($o: ID!) { operatorAuditLog(targetId: $o) { edges { node { action actorId actorRoles before after at } } } }', { token: operatorToken, variables: { o: customer.organizationId } });
    const entries = log.data!.operatorAuditLog.edges.map((e: { node: Record<string, string> }) => e.node);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['reinstateOrganization', 'reinstateOrganization', 'suspendOrganization', 'suspendOrganization']);
    expect(entries[3]).toMatchObject({ actorRoles: ['SUPER_ADMIN'], at: expect.any(String) });
    expect(JSON.parse(entries[3].before)).toMatchObject({ status: 'ACTIVE', suspensionReasons: [] });
    expect(JSON.parse(entries[3].after)).toMatchObject({ status: 'SUSPENDED', suspensionReasons: ['ABUSE'] });
    const me = await graphql(gw, '{ me { id } }', { token: operatorToken });
    expect(entries.every((e: { actorId: string }) => e.actorId === me.data!.me.id)).toBe(true);
  });

  it('requests documents with a 3-business-day deadline; an upload before it ends the workflow without suspension', async () => {
    const customer = await signUpAndVerify(stack, { customerType: 'CORPORATE', nationalId: null, taxId: IDS.vkn, taxOffice: 'Beşiktaş', authorityConfirmed: true });
    const requested = await graphql(gw, 'mutation($o: ID!) { requestDocuments(organizationId: $o, kinds: [IDENTITY, AUTHORITY], note: "imza sirküleri") { request { id status deadline requestedAt } userErrors { code } } }', {
      token: operatorToken,
      variables: { o: customer.organizationId },
    });
    const request = requested.data!.requestDocuments.request;
    expect(request.status).toBe('PENDING');
    expect(new Date(request.deadline).getTime() - new Date(request.requestedAt).getTime()).toBeGreaterThanOrEqual(3 * 86_400_000);
    await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === customer.email) && /Belge talebi/.test(m.subject));

    const SUBMIT = 'mutation($r: ID!, $k: DocumentKind!, $t: String!) { submitDocument(requestId: $r, kind: $k, fileName: "belge.pdf", contentType: $t, contentBase64: "JVBERi0xLjQK") { request { status uploads { kind size sha256 } } userErrors { code } } }';
    const wrongType = await graphql(gw, SUBMIT, { token: customer.accessToken, variables: { r: request.id, k: 'IDENTITY', t: 'text/html' } });
    expect(wrongType.data!.submitDocument.userErrors).toEqual([{ code: 'UNSUPPORTED_FILE_TYPE' }]);
    const first = await graphql(gw, SUBMIT, { token: customer.accessToken, variables: { r: request.id, k: 'IDENTITY', t: 'application/pdf' } });
    expect(first.data!.submitDocument.request.status).toBe('PENDING');
    const second = await graphql(gw, SUBMIT, { token: customer.accessToken, variables: { r: request.id, k: 'AUTHORITY', t: 'application/pdf' } });
    expect(second.data!.submitDocument.request).toMatchObject({ status: 'SUBMITTED', uploads: [{ kind: 'IDENTITY', size: 9 }, { kind: 'AUTHORITY', size: 9 }] });

    const client = await connectTemporalClient(loadConfig({ ...process.env, ...stack.env }));
    try {
      const outcome = await client.workflow.getHandle(documentRequestWorkflowId(request.id)).result();
      expect(outcome).toEqual({ outcome: 'SUBMITTED' });
    } finally {
      await client.connection.close();
    }
    const org = await graphql(gw, 'query($o: ID!) { organization(id: $o) { status } }', { token: customer.accessToken, variables: { o: customer.organizationId } });
    expect(org.data!.organization.status).toBe('ACTIVE');
  });

  it('binds licensed resources uniquely, and terminating the account holds them', async () => {
    const customer = await signUpAndVerify(stack);
    const other = await signUpAndVerify(stack);
    const domain = `magaza-${Date.now()}.com.tr`;
    const ADD = 'mutation($o: ID!, $v: String!) { addLicensedResource(organizationId: $o, kind: WEBSITE, value: $v) { resource { value status } userErrors { code } } }';
    const added = await graphql(gw, ADD, { token: customer.accessToken, variables: { o: customer.organizationId, v: `https://www.${domain}/shop` } });
    expect(added.data!.addLicensedResource).toEqual({ resource: { value: domain, status: 'ACTIVE' }, userErrors: [] });
    const taken = await graphql(gw, ADD, { token: other.accessToken, variables: { o: other.organizationId, v: domain } });
    expect(taken.data!.addLicensedResource.userErrors).toEqual([{ code: 'RESOURCE_TAKEN' }]);

    const terminated = await graphql(gw, 'mutation($o: ID!) { terminateOrganization(id: $o, reason: "customer request", resourceHoldDays: 30) { status } }', { token: operatorToken, variables: { o: customer.organizationId } });
    expect(terminated.data!.terminateOrganization.status).toBe('TERMINATED');
    let resources: { status: string; heldUntil: string | null }[] = [];
    for (let i = 0; i < 40 && resources[0]?.status !== 'HELD'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const read = await graphql(gw, 'query($o: ID!) { organization(id: $o) { licensedResources { status heldUntil } } }', { token: operatorToken, variables: { o: customer.organizationId } });
      resources = read.data!.organization.licensedResources;
    }
    expect(resources).toEqual([{ status: 'HELD', heldUntil: expect.any(String) }]);
    expect(new Date(resources[0]!.heldUntil!).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // Still reserved for the old customer while held.
    expect((await graphql(gw, ADD, { token: other.accessToken, variables: { o: other.organizationId, v: domain } })).data!.addLicensedResource.userErrors).toEqual([{ code: 'RESOURCE_TAKEN' }]);
  });

  it('refuses operator operations to customers and to operators without the role', async () => {
    const customer = await signUpAndVerify(stack);
    const response = await graphql(gw, 'mutation($o: ID!) { suspendOrganization(id: $o, reason: "ABUSE") { status } }', { token: customer.accessToken, variables: { o: customer.organizationId } });
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    const dpoEmail = uniqueEmail('dpo');
    const created = await graphql(gw, 'mutation($e: String!) { createOperator(input: { email: $e, firstName: "Deniz", lastName: "Koruma", roles: [DPO] }) { user { operatorRoles } userErrors { code } } }', {
      token: operatorToken,
      variables: { e: dpoEmail },
    });
    expect(created.data!.createOperator).toEqual({ user: { operatorRoles: ['DPO'] }, userErrors: [] });
    const { token } = await tokenFromEmail(stack.mailCatcherUrl, dpoEmail, /Operatör hesabınız/);
    const set = await graphql(gw, `mutation($t: String!) { resetPassword(token: $t, newPassword: "Gizlilik-Gorevlisi-77") { ${AUTH_FIELDS} } }`, { variables: { t: token } });
    const dpoToken = set.data!.resetPassword.accessToken as string;
    expect(errorCodes(await graphql(gw, 'mutation($o: ID!) { suspendOrganization(id: $o, reason: "ABUSE") { status } }', { token: dpoToken, variables: { o: customer.organizationId } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, '{ operatorAuditLog { edges { node { id } } } }', { token: dpoToken }))).toEqual(['FORBIDDEN']);
  });

  it('erases a terminated organisation\'s personal data through the internal activity, idempotently (ACC-6, KVKK)', async () => {
    const customer = await signUpAndVerify(stack);
    const db = await connectDatabase(loadConfig({ ...process.env, ...stack.env }), 'accounts');
    try {
      const activities = accountsActivities(accountsModels(db), temporal);
      const personalData = accountsPersonalDataActivities(accountsModels(db));
      const actor = { kind: 'workflow' as const, id: 'test/erasure' };
      const subject = { kind: 'ORGANIZATION' as const, organizationId: customer.organizationId };
      await expect(personalData.erasePersonalData({ subject, erasureId: 'test/erasure' })).rejects.toThrow(/only a terminated organisation/);
      expect(await activities.terminateOrganization({ organizationId: customer.organizationId, reason: 'closed', actor })).toMatchObject({ status: 'TERMINATED' });
      const report = await personalData.erasePersonalData({ subject, erasureId: 'test/erasure' });
      expect(report.erased.map((l) => l.collection)).toEqual(expect.arrayContaining(['organizations', 'users', 'memberships']));
      // CON-6: a retry of the same erasure still reports what it erased; another run erases nothing more.
      expect(await personalData.erasePersonalData({ subject, erasureId: 'test/erasure' })).toEqual(report);
      expect(await personalData.erasePersonalData({ subject, erasureId: 'test/erasure-again' })).toEqual({ service: 'accounts', erased: [], kept: [] });
      expect((await accountsModels(db).Organization.findById(customer.organizationId).lean())!.status).toBe('ERASED');

      const models = accountsModels(db);
      const user = await models.User.findById(customer.userId).lean();
      expect(user).toMatchObject({ firstName: '-', lastName: '-', phone: null, passwordHash: null });
      expect(user!.email).not.toBe(customer.email);
      const org = await models.Organization.findById(customer.organizationId).lean();
      expect(org).toMatchObject({ nationalId: null, billingAddress: null, customerCode: customer.customerCode });
      expect((await logIn(customer.email, customer.password)).userErrors[0]!.code).toBe('INVALID_CREDENTIALS');
      const refresh = await graphql(gw, REFRESH, { variables: { r: customer.refreshToken } });
      expect(refresh.data!.refreshSession.userErrors[0].code).toBe('INVALID_REFRESH_TOKEN');
    } finally {
      await db.close();
    }
  });
});

describe('billing profile activity (issue 4)', () => {
  it('gives billing the organisation\'s name, customer code, owner contacts in their language and the buyer identity for its invoices (VUK 230); unknown organisations fail for good', async () => {
    const customer = await signUpAndVerify(stack, { companyName: 'Profil Yazılım', promoCode: 'WELCOME10' });
    const db = await connectDatabase(loadConfig({ ...process.env, ...stack.env }), 'accounts');
    try {
      const activities = accountsActivities(accountsModels(db), temporal);
      expect(await activities.organizationBillingProfile({ organizationId: customer.organizationId })).toEqual({
        organizationId: customer.organizationId,
        name: 'Profil Yazılım',
        customerCode: customer.customerCode,
        referredByPartnerId: null,
        contacts: [{ email: customer.email, locale: 'tr' }],
        // An individual: the TCKN instead of a VKN and tax office (issue 15).
        buyer: {
          customerType: 'INDIVIDUAL',
          legalName: 'Profil Yazılım',
          taxId: null,
          taxOffice: null,
          nationalId: IDS.tckn,
          address: expect.objectContaining({ line1: 'Bağdat Cd. No: 1', city: 'İstanbul', country: 'TR' }),
        },
        // the sign-up promo code, which billing applies to the organisation's subscription (issue 15)
        promoCode: 'WELCOME10',
      });
      await expect(activities.organizationBillingProfile({ organizationId: '0123456789abcdef01234567' })).rejects.toMatchObject({ type: 'OrganizationNotFound', nonRetryable: true });
    } finally {
      await db.close();
    }
  });
});
