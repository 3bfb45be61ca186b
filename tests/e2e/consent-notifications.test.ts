// Issue 5 (consent): CON-8 e-mails through the real stack: breach escalations
// reach the DPO operators (whose addresses accounts gives the workflow), and an
// end-user request is forwarded by e-mail to the customer's owner within
// 48 hours [003 Ek-1 §5.3]. The CON-5 reminders (day 20, 27, 30) take the same
// path; their timing is covered by the time-skipping workflow tests.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { AUTH_FIELDS, LOG_IN, clientIp, signUpAndVerify, tokenFromEmail, uniqueEmail, type SignedUp } from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { waitForEmail, type CaughtEmail } from '../support/mail-catcher.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const HOUR_MS = 3_600_000;

const REPORT = `mutation($input: ReportBreachInput!) { reportBreach(input: $input) { breach { id } userErrors { code field } } }`;
const CLOSE = `mutation($breachId: ID!) { closeBreach(breachId: $breachId) { userErrors { code } } }`;
const REQUEST_FIELDS = 'id organizationId receivedAt dueAt summary forwardedAt forwardedRecipients acknowledgedAt';
const FORWARD = `mutation($input: ForwardEndUserRequestInput!) { forwardEndUserRequest(input: $input) { request { ${REQUEST_FIELDS} } userErrors { code field } } }`;
const ACKNOWLEDGE = `mutation($id: ID!) { acknowledgeEndUserRequest(id: $id) { request { ${REQUEST_FIELDS} } userErrors { code field } } }`;
const LIST = `query($organizationId: ID) { endUserRequests(organizationId: $organizationId) { ${REQUEST_FIELDS} } }`;

interface EndUserRequest {
  id: string;
  organizationId: string;
  receivedAt: string;
  dueAt: string;
  summary: string;
  forwardedAt: string | null;
  forwardedRecipients: number | null;
  acknowledgedAt: string | null;
}

let superAdminToken: string;
let dpoEmail: string;
let dpoToken: string;
let customer: SignedUp;

const sentTo = (address: string) => (mail: CaughtEmail) => mail.to.some((to) => to.address === address);

async function allEmails(): Promise<CaughtEmail[]> {
  return (await (await fetch(`${stack.mailCatcherUrl}/email`)).json()) as CaughtEmail[];
}

beforeAll(async () => {
  const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  superAdminToken = logIn.data!.logIn.accessToken;

  dpoEmail = uniqueEmail('dpo');
  const created = await graphql(gw, 'mutation($e: String!) { createOperator(input: { email: $e, firstName: "Deniz", lastName: "Koruma", roles: [DPO] }) { userErrors { code } } }', {
    token: superAdminToken,
    variables: { e: dpoEmail },
  });
  expect(created.data!.createOperator.userErrors).toEqual([]);
  const { token } = await tokenFromEmail(stack.mailCatcherUrl, dpoEmail, /Operatör hesabınız/);
  const set = await graphql(gw, `mutation($t: String!) { resetPassword(token: $t, newPassword: "Gizlilik-Gorevlisi-77") { ${AUTH_FIELDS} } }`, { variables: { t: token } });
  dpoToken = set.data!.resetPassword.accessToken;

  customer = await signUpAndVerify(stack);
});

describe('DPO e-mails (CON-8)', () => {
  it('CON-8: a breach escalation is e-mailed to the DPO operator with the stage, the clock, the deadline and the console link, once', async () => {
    // Detected 40 hours ago: the 72-hour Board clock is past half time, so HALF_TIME is escalated at once.
    const detectedAt = new Date(Date.now() - 40 * HOUR_MS).toISOString();
    const reported = await graphql(gw, REPORT, {
      token: dpoToken,
      variables: { input: { detectedAt, role: 'CONTROLLER', description: 'Yanlış alıcıya gönderilen müşteri listesi.' } },
    });
    expect(reported.data!.reportBreach.userErrors).toEqual([]);
    const breachId = reported.data!.reportBreach.breach.id as string;

    const mail = await waitForEmail(stack.mailCatcherUrl, (m) => sentTo(dpoEmail)(m) && m.subject.includes(breachId));
    expect(mail.subject).toBe(`İhlal ${breachId}: sürenin yarısı doldu`);
    expect(mail.text).toContain('KVKK Kurulu bildirimi (72 saat)');
    // The deadline, in Turkish time: detection + 72 h.
    const deadline = new Intl.DateTimeFormat('tr-TR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Istanbul' }).format(
      new Date(Date.parse(detectedAt) + 72 * HOUR_MS),
    );
    expect(mail.text).toContain(`Son tarih: ${deadline} (TSİ)`);
    expect(mail.text).toContain(`/operator/breaches/${breachId}`);

    const closed = await graphql(gw, CLOSE, { token: dpoToken, variables: { breachId } });
    expect(closed.data!.closeBreach.userErrors).toEqual([]);
    // One message per stage and address, however often the activity ran.
    expect((await allEmails()).filter((m) => sentTo(dpoEmail)(m) && m.subject.includes(breachId))).toHaveLength(1);
  });
});

describe('end-user requests forwarded to the customer (CON-8, [003 Ek-1 §5.3])', () => {
  it('CON-8 [003 Ek-1 §5.3]: the DPO forwards an end-user request; the customer\'s owner gets it by e-mail, the request records one recipient, and the acknowledgement is kept', async () => {
    const receivedAt = new Date(Date.now() - HOUR_MS).toISOString();
    const summary = 'Bir son kullanıcı, hesabındaki sipariş geçmişinin silinmesini istiyor (KVKK m. 11/e).';
    const forwarded = await graphql(gw, FORWARD, { token: dpoToken, variables: { input: { organizationId: customer.organizationId, receivedAt, summary } } });
    expect(forwarded.errors).toBeUndefined();
    expect(forwarded.data!.forwardEndUserRequest.userErrors).toEqual([]);
    const request = forwarded.data!.forwardEndUserRequest.request as EndUserRequest;
    expect(request).toMatchObject({ organizationId: customer.organizationId, receivedAt, summary, dueAt: new Date(Date.parse(receivedAt) + 48 * HOUR_MS).toISOString() });

    const mail = await waitForEmail(stack.mailCatcherUrl, (m) => sentTo(customer.email)(m) && m.subject.includes(request.id));
    expect(mail.subject).toBe(`Son kullanıcınızdan kişisel veri başvurusu (${request.id})`);
    expect(mail.text).toContain(summary);

    let listed: EndUserRequest | undefined;
    for (let attempt = 0; attempt < 100 && !listed?.forwardedAt; attempt++) {
      const response = await graphql(gw, LIST, { token: dpoToken, variables: { organizationId: customer.organizationId } });
      expect(response.errors).toBeUndefined();
      listed = (response.data!.endUserRequests as EndUserRequest[]).find((r) => r.id === request.id);
      if (!listed?.forwardedAt) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(listed).toMatchObject({ id: request.id, forwardedAt: expect.any(String), forwardedRecipients: 1, acknowledgedAt: null });

    const acknowledged = await graphql(gw, ACKNOWLEDGE, { token: dpoToken, variables: { id: request.id } });
    expect(acknowledged.data!.acknowledgeEndUserRequest.userErrors).toEqual([]);
    expect(acknowledged.data!.acknowledgeEndUserRequest.request.acknowledgedAt).toEqual(expect.any(String));
  });

  it('CON-8: only DPO operators forward or list end-user requests; bad input is a typed userError', async () => {
    const input = { organizationId: customer.organizationId, receivedAt: new Date().toISOString(), summary: 'x' };
    expect(errorCodes(await graphql(gw, FORWARD, { token: customer.accessToken, variables: { input } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, LIST, { token: customer.accessToken, variables: {} }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, ACKNOWLEDGE, { token: customer.accessToken, variables: { id: '000000000000000000000000' } }))).toEqual(['FORBIDDEN']);

    const errorsOf = async (override: Record<string, unknown>) =>
      (await graphql(gw, FORWARD, { token: dpoToken, variables: { input: { ...input, ...override } } })).data!.forwardEndUserRequest;
    expect(await errorsOf({ summary: '   ' })).toEqual({ request: null, userErrors: [{ code: 'REQUIRED', field: ['input', 'summary'] }] });
    expect(await errorsOf({ summary: 'x'.repeat(2001) })).toEqual({ request: null, userErrors: [{ code: 'TOO_LONG', field: ['input', 'summary'] }] });
    expect(await errorsOf({ receivedAt: new Date(Date.now() + HOUR_MS).toISOString() })).toEqual({
      request: null,
      userErrors: [{ code: 'RECEIVED_IN_FUTURE', field: ['input', 'receivedAt'] }],
    });
    expect(await errorsOf({ organizationId: 'not-an-id' })).toEqual({ request: null, userErrors: [{ code: 'INVALID_VALUE', field: ['input', 'organizationId'] }] });
    // An unknown request looks missing.
    const unknown = await graphql(gw, ACKNOWLEDGE, { token: dpoToken, variables: { id: '000000000000000000000000' } });
    expect(unknown.data!.acknowledgeEndUserRequest).toEqual({ request: null, userErrors: [{ code: 'END_USER_REQUEST_NOT_FOUND', field: ['id'] }] });
  });
});
