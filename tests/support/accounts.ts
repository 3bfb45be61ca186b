import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { graphql } from './graphql.ts';
import { waitForEmail, type CaughtEmail } from './mail-catcher.ts';

/** Valid test identities (checksums verified by stdnum). */
export const IDS = { tckn: '10000000146', tckn2: '12345678950', vkn: '1234567890', vkn2: '4840847211' };

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** A distinct client address per scenario, so per-IP throttling in one scenario never touches another. */
export const clientIp = () => `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;

export async function currentDocumentIds(gatewayUrl: string, locale = 'tr'): Promise<string[]> {
  const response = await graphql(gatewayUrl, `query($l: String!) { currentLegalDocuments(locale: $l) { id kind } }`, { variables: { l: locale } });
  const docs = response.data!.currentLegalDocuments as { id: string; kind: string }[];
  return docs.filter((d) => d.kind === 'USER_AGREEMENT' || d.kind === 'INFORMATION_NOTICE').map((d) => d.id);
}

export function signUpInput(overrides: Record<string, unknown> & { acceptedDocumentVersionIds: string[] }) {
  return {
    firstName: 'Ayşe',
    lastName: 'Demir',
    email: uniqueEmail('signup'),
    password: 'Kestane-Bal-Ormani-42',
    phone: '0532 123 45 67',
    companyName: 'Demir Danışmanlık',
    customerType: 'INDIVIDUAL',
    nationalId: IDS.tckn,
    billingAddress: { line1: 'Bağdat Cd. No: 1', city: 'İstanbul', country: 'TR' },
    ageConfirmed: true,
    ...overrides,
  };
}

export const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) {
    user { id email emailVerified }
    organization { id name customerCode customerType status }
    userErrors { code field message }
  }
}`;

export const AUTH_FIELDS = 'accessToken refreshToken expiresAt user { id email } userErrors { code field message }';

export const LOG_IN = `mutation($email: String!, $password: String!) { logIn(input: { email: $email, password: $password }) { ${AUTH_FIELDS} } }`;

/** The single-use token in the link of the newest e-mail to `to` whose subject matches. */
export async function tokenFromEmail(mailCatcherUrl: string, to: string, subject: RegExp): Promise<{ token: string; mail: CaughtEmail }> {
  const mail = await waitForEmail(mailCatcherUrl, (m) => m.to.some((a) => a.address === to) && subject.test(m.subject));
  const match = /[?&]token=([^\s&]+)/.exec(mail.text);
  expect(match, `a link with a token in "${mail.subject}"`).not.toBeNull();
  return { token: decodeURIComponent(match![1]!), mail };
}

export interface SignedUp {
  email: string;
  password: string;
  userId: string;
  organizationId: string;
  customerCode: string;
  accessToken: string;
  refreshToken: string;
}

/** Signs up, verifies through the e-mailed link and returns the session verifyEmail opened. */
export async function signUpAndVerify(stack: { gatewayUrl: string; mailCatcherUrl: string }, overrides: Record<string, unknown> = {}): Promise<SignedUp> {
  const ids = await currentDocumentIds(stack.gatewayUrl);
  const input = signUpInput({ acceptedDocumentVersionIds: ids, ...overrides });
  const headers = { 'x-forwarded-for': clientIp() };
  const signUp = await graphql(stack.gatewayUrl, SIGN_UP, { variables: { input }, headers });
  expect(signUp.errors).toBeUndefined();
  expect(signUp.data!.signUp.userErrors).toEqual([]);
  const { token } = await tokenFromEmail(stack.mailCatcherUrl, input.email as string, /doğrulayın|Verify/);
  const verified = await graphql(stack.gatewayUrl, `mutation($t: String!) { verifyEmail(token: $t) { ${AUTH_FIELDS} } }`, { variables: { t: token }, headers });
  expect(verified.data!.verifyEmail.userErrors).toEqual([]);
  return {
    email: input.email as string,
    password: input.password as string,
    userId: signUp.data!.signUp.user.id,
    organizationId: signUp.data!.signUp.organization.id,
    customerCode: signUp.data!.signUp.organization.customerCode,
    accessToken: verified.data!.verifyEmail.accessToken,
    refreshToken: verified.data!.verifyEmail.refreshToken,
  };
}
