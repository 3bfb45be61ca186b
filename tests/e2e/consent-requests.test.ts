// Issue 5 (consent): data-subject requests (CON-5, KVKK art. 11/13) through the
// gateway, with the real consent service, Temporal workflow and database.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const DAY_MS = 86_400_000;

const REQUEST_FIELDS = 'id kind status receivedAt dueAt answeredAt';
const PAYLOAD = `request { ${REQUEST_FIELDS} } userErrors { code field message }`;
const SUBMIT = `mutation($kind: DataSubjectRequestKind!, $details: String) { submitDataSubjectRequest(kind: $kind, details: $details) { ${PAYLOAD} } }`;
const MY_REQUESTS = `{ me { dataSubjectRequests { ${REQUEST_FIELDS} } } }`;
const VERIFY = `mutation($id: ID!) { verifyDataSubjectRequestIdentity(id: $id) { ${PAYLOAD} } }`;
const START = `mutation($id: ID!) { startDataSubjectRequest(id: $id) { ${PAYLOAD} } }`;
const ANSWER = `mutation($id: ID!, $answer: String) { answerDataSubjectRequest(id: $id, answer: $answer) { ${PAYLOAD} } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectDataSubjectRequest(id: $id, reason: $reason) { ${PAYLOAD} } }`;
const OPERATOR_LIST = `query($status: DataSubjectRequestStatus) { dataSubjectRequests(status: $status) { id status events { kind status at answerRef reason } } }`;

interface StoredRequest {
  id: string;
  kind: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  answeredAt: string | null;
}

let operatorToken: string;
let customer: SignedUp;
let otherCustomer: SignedUp;

async function submit(token: string, kind: string, details: string | null = null) {
  const response = await graphql(gw, SUBMIT, { token, variables: { kind, details } });
  expect(response.errors).toBeUndefined();
  const payload = response.data!.submitDataSubjectRequest;
  expect(payload.userErrors).toEqual([]);
  return payload.request as StoredRequest;
}

async function myRequests(token: string): Promise<StoredRequest[]> {
  const response = await graphql(gw, MY_REQUESTS, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.me.dataSubjectRequests;
}

/** The workflow records each status through the consent activities; wait until the stored request shows it. */
async function storedRequestOnceIn(status: string, id: string, token = operatorToken) {
  for (;;) {
    const response = await graphql(gw, OPERATOR_LIST, { token, variables: { status } });
    expect(response.errors).toBeUndefined();
    const found = (response.data!.dataSubjectRequests as { id: string; status: string; events: unknown[] }[]).find((r) => r.id === id);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function operatorStep(mutation: string, field: string, variables: Record<string, unknown>, token = operatorToken) {
  const response = await graphql(gw, mutation, { token, variables });
  return { response, payload: response.data?.[field] as { request: StoredRequest | null; userErrors: { code: string }[] } | undefined };
}

beforeAll(async () => {
  const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = logIn.data!.logIn.accessToken;
  [customer, otherCustomer] = await Promise.all([signUpAndVerify(stack), signUpAndVerify(stack)]);
});

describe('data-subject requests (CON-5, KVKK art. 11/13)', () => {
  it('is received with a due date 30 days later, walked through by the DPO to ANSWERED, and seen only by its owner', async () => {
    // INFORMATION carries no work of its own (ACCESS and ERASURE are walked in consent-kvkk-life.test.ts).
    const submitted = await submit(customer.accessToken, 'INFORMATION', 'Hangi kişisel verilerim işleniyor?');
    expect(submitted).toMatchObject({ kind: 'INFORMATION', status: 'RECEIVED', answeredAt: null });
    // KVKK art. 13: answered within 30 days of receipt.
    expect(Date.parse(submitted.dueAt) - Date.parse(submitted.receivedAt)).toBe(30 * DAY_MS);

    const mine = await myRequests(customer.accessToken);
    expect(mine).toEqual([expect.objectContaining({ id: submitted.id, status: 'RECEIVED', dueAt: submitted.dueAt })]);

    const verified = await operatorStep(VERIFY, 'verifyDataSubjectRequestIdentity', { id: submitted.id });
    expect(verified.response.errors).toBeUndefined();
    // Read your writes (issue 12): each step answers with the status it caused.
    expect(verified.payload).toMatchObject({ request: { id: submitted.id, status: 'IDENTITY_VERIFIED' }, userErrors: [] });
    await storedRequestOnceIn('IDENTITY_VERIFIED', submitted.id);

    const started = await operatorStep(START, 'startDataSubjectRequest', { id: submitted.id });
    expect(started.payload).toMatchObject({ request: { status: 'IN_PROGRESS' }, userErrors: [] });
    await storedRequestOnceIn('IN_PROGRESS', submitted.id);

    const answered = await operatorStep(ANSWER, 'answerDataSubjectRequest', { id: submitted.id, answer: 'doc-kvkk-access-1' });
    expect(answered.payload).toMatchObject({ request: { status: 'ANSWERED', answeredAt: expect.any(String) }, userErrors: [] });
    const closed = await storedRequestOnceIn('ANSWERED', submitted.id);
    expect(closed.events).toEqual([
      expect.objectContaining({ kind: 'STATUS_CHANGED', status: 'IDENTITY_VERIFIED' }),
      expect.objectContaining({ kind: 'STATUS_CHANGED', status: 'IN_PROGRESS' }),
      expect.objectContaining({ kind: 'STATUS_CHANGED', status: 'ANSWERED', answerRef: 'doc-kvkk-access-1' }),
    ]);

    const [seen] = await myRequests(customer.accessToken);
    expect(seen).toMatchObject({ id: submitted.id, status: 'ANSWERED' });
    expect(Date.parse(seen!.answeredAt!)).toBeGreaterThanOrEqual(Date.parse(submitted.receivedAt));

    expect((await myRequests(otherCustomer.accessToken)).map((r) => r.id)).not.toContain(submitted.id);
  });

  it('takes the next step at once: steps are checked against the workflow, not the stored status that follows it', async () => {
    const submitted = await submit(customer.accessToken, 'RECIPIENTS');
    for (const [mutation, field] of [[VERIFY, 'verifyDataSubjectRequestIdentity'], [START, 'startDataSubjectRequest']] as const) {
      expect((await operatorStep(mutation, field, { id: submitted.id })).payload?.userErrors).toEqual([]);
    }
    await storedRequestOnceIn('IN_PROGRESS', submitted.id);
  });

  it('refuses the operator steps and the request list to a customer (FORBIDDEN)', async () => {
    const submitted = await submit(customer.accessToken, 'RECTIFICATION');
    const attempts = [
      await graphql(gw, VERIFY, { token: customer.accessToken, variables: { id: submitted.id } }),
      await graphql(gw, START, { token: customer.accessToken, variables: { id: submitted.id } }),
      await graphql(gw, ANSWER, { token: customer.accessToken, variables: { id: submitted.id, answer: 'x' } }),
      await graphql(gw, REJECT, { token: customer.accessToken, variables: { id: submitted.id, reason: 'x' } }),
      await graphql(gw, OPERATOR_LIST, { token: customer.accessToken, variables: {} }),
    ];
    for (const response of attempts) expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect((await myRequests(customer.accessToken)).find((r) => r.id === submitted.id)?.status).toBe('RECEIVED');
  });

  it('answers INVALID_TRANSITION when a step is skipped, and DATA_SUBJECT_REQUEST_NOT_FOUND for an unknown request', async () => {
    const submitted = await submit(otherCustomer.accessToken, 'ERASURE');
    const skipped = await operatorStep(ANSWER, 'answerDataSubjectRequest', { id: submitted.id, answer: null });
    expect(skipped.response.errors).toBeUndefined();
    expect(skipped.payload).toMatchObject({ request: null, userErrors: [{ code: 'INVALID_TRANSITION' }] });

    const unknown = await operatorStep(START, 'startDataSubjectRequest', { id: '0123456789abcdef01234567' });
    expect(unknown.payload).toMatchObject({ request: null, userErrors: [{ code: 'DATA_SUBJECT_REQUEST_NOT_FOUND' }] });
  });

  it('lets the DPO reject an open request with a reason, which the owner then sees as REJECTED', async () => {
    const submitted = await submit(otherCustomer.accessToken, 'COMPENSATION');
    const rejected = await operatorStep(REJECT, 'rejectDataSubjectRequest', { id: submitted.id, reason: 'Kimlik doğrulanamadı.' });
    expect(rejected.payload).toMatchObject({ request: { status: 'REJECTED' }, userErrors: [] });
    const closed = await storedRequestOnceIn('REJECTED', submitted.id);
    expect(closed.events).toEqual([expect.objectContaining({ kind: 'STATUS_CHANGED', status: 'REJECTED', reason: 'Kimlik doğrulanamadı.' })]);
    const seen = (await myRequests(otherCustomer.accessToken)).find((r) => r.id === submitted.id);
    expect(seen).toMatchObject({ status: 'REJECTED', answeredAt: expect.any(String) });

    const again = await operatorStep(START, 'startDataSubjectRequest', { id: submitted.id });
    expect(again.payload?.userErrors.map((e) => e.code)).toEqual(['INVALID_TRANSITION']);
  });
});
