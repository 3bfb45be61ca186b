// Issue 5 (consent): the CON-8 breach register through the gateway, with the
// real consent service, breachClockWorkflow on Temporal and the database.
// KVKK Board decision 2019/10: the Board within 72 h; [003 Ek-1 §4.1.5]: as
// processor, the affected customer within 24 h.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const HOUR_MS = 3_600_000;

const BREACH_FIELDS = `id detectedAt role status boardReference affectedOrganizationIds
  clocks { clock organizationId dueAt status notifiedAt reference }
  events { kind at clock organizationId stage status dueAt reference }`;
const PAYLOAD = `breach { ${BREACH_FIELDS} } userErrors { code field message }`;
const REPORT = `mutation($input: ReportBreachInput!) { reportBreach(input: $input) { ${PAYLOAD} } }`;
const BOARD = `mutation($breachId: ID!, $reference: String!) { recordBoardNotification(breachId: $breachId, reference: $reference) { ${PAYLOAD} } }`;
const CONTROLLER = `mutation($breachId: ID!, $organizationId: ID!) { recordControllerNotification(breachId: $breachId, organizationId: $organizationId) { ${PAYLOAD} } }`;
const CLOSE = `mutation($breachId: ID!) { closeBreach(breachId: $breachId) { ${PAYLOAD} } }`;
const BREACH = `query($id: ID!) { breach(id: $id) { ${BREACH_FIELDS} } }`;
const BREACHES = `{ breaches { id status } }`;

interface Clock {
  clock: string;
  organizationId: string | null;
  dueAt: string;
  status: string;
  notifiedAt: string | null;
  reference: string | null;
}
interface Event {
  kind: string;
  clock: string | null;
  organizationId: string | null;
  stage: string | null;
  status: string | null;
}
interface Breach {
  id: string;
  detectedAt: string;
  status: string;
  boardReference: string | null;
  clocks: Clock[];
  events: Event[];
}

let operatorToken: string;
let customer: SignedUp;

async function breach(id: string): Promise<Breach> {
  const response = await graphql(gw, BREACH, { token: operatorToken, variables: { id } });
  expect(response.errors).toBeUndefined();
  return response.data!.breach as Breach;
}

/** The workflow writes escalations and clock outcomes through the consent activities; wait (bounded) until the register shows them. */
async function breachOnce(id: string, done: (b: Breach) => boolean, what: string): Promise<Breach> {
  let last: Breach | undefined;
  for (let attempt = 0; attempt < 300; attempt++) {
    last = await breach(id);
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`breach ${id} never showed ${what}: ${JSON.stringify(last)}`);
}

async function step(mutation: string, field: string, variables: Record<string, unknown>, token = operatorToken) {
  const response = await graphql(gw, mutation, { token, variables });
  return { response, payload: response.data?.[field] as { breach: Breach | null; userErrors: { code: string; field: string[] }[] } | undefined };
}

beforeAll(async () => {
  const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = logIn.data!.logIn.accessToken;
  customer = await signUpAndVerify(stack);
});

describe('breach register clocks (CON-8)', () => {
  it('runs the Board and controller clocks of a processor breach: the overdue controller clock is MISSED, the Board notified in time is MET', async () => {
    // Detected 40 hours ago: the 24-hour controller clock is already past its deadline (caught up as OVERDUE, then MISSED),
    // and the 72-hour Board clock is past half time (caught up as HALF_TIME) with 32 hours left.
    const detectedAt = new Date(Date.now() - 40 * HOUR_MS).toISOString();
    const reported = await step(REPORT, 'reportBreach', {
      input: { detectedAt, role: 'PROCESSOR', description: 'Yedekleme sunucusunda yetkisiz erişim.', affectedOrganizationIds: [customer.organizationId] },
    });
    expect(reported.response.errors).toBeUndefined();
    expect(reported.payload!.userErrors).toEqual([]);
    const id = reported.payload!.breach!.id;
    expect(reported.payload!.breach).toMatchObject({ status: 'OPEN', detectedAt });
    const detectedMs = Date.parse(detectedAt);

    const missed = await breachOnce(
      id,
      (b) => b.events.some((e) => e.kind === 'CLOCK_RECORDED' && e.clock === 'CONTROLLER' && e.status === 'MISSED'),
      'the MISSED controller clock',
    );
    expect(missed.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'REPORTED' }),
        expect.objectContaining({ kind: 'ESCALATION', clock: 'CONTROLLER', organizationId: customer.organizationId, stage: 'OVERDUE' }),
      ]),
    );
    // A late start catches up with the latest stage due only, not with every stage.
    const controllerStages = missed.events.filter((e) => e.kind === 'ESCALATION' && e.clock === 'CONTROLLER').map((e) => e.stage);
    expect(controllerStages).toEqual(['OVERDUE']);
    expect(missed.clocks.find((c) => c.clock === 'CONTROLLER')).toMatchObject({
      organizationId: customer.organizationId,
      status: 'MISSED',
      dueAt: new Date(detectedMs + 24 * HOUR_MS).toISOString(),
    });

    const halfTime = await breachOnce(
      id,
      (b) => b.events.some((e) => e.kind === 'ESCALATION' && e.clock === 'BOARD' && e.stage === 'HALF_TIME'),
      'the Board HALF_TIME escalation',
    );
    expect(halfTime.clocks.find((c) => c.clock === 'BOARD')).toMatchObject({ status: 'OPEN', dueAt: new Date(detectedMs + 72 * HOUR_MS).toISOString() });

    const notified = await step(BOARD, 'recordBoardNotification', { breachId: id, reference: 'KVKK-2025-0042' });
    expect(notified.payload!.userErrors).toEqual([]);
    expect(notified.payload!.breach).toMatchObject({ id, boardReference: 'KVKK-2025-0042' });

    const met = await breachOnce(
      id,
      (b) => b.events.some((e) => e.kind === 'CLOCK_RECORDED' && e.clock === 'BOARD' && e.status === 'MET'),
      'the MET Board clock',
    );
    expect(met.clocks.find((c) => c.clock === 'BOARD')).toMatchObject({ status: 'MET', reference: 'KVKK-2025-0042', notifiedAt: expect.any(String) });
    // The escalations are written once each, however often the activities ran.
    const escalationKeys = met.events.filter((e) => e.kind === 'ESCALATION').map((e) => `${e.clock}:${e.stage}`);
    expect(new Set(escalationKeys).size).toBe(escalationKeys.length);

    // A late controller notification is kept, but does not turn the missed clock into a met one.
    const late = await step(CONTROLLER, 'recordControllerNotification', { breachId: id, organizationId: customer.organizationId });
    expect(late.payload!.userErrors).toEqual([]);
    const lateSeen = await breachOnce(id, (b) => b.clocks.some((c) => c.clock === 'CONTROLLER' && c.notifiedAt !== null), 'the late controller notification');
    expect(lateSeen.clocks.find((c) => c.clock === 'CONTROLLER')!.status).toBe('MISSED');

    const closed = await step(CLOSE, 'closeBreach', { breachId: id });
    expect(closed.payload!.userErrors).toEqual([]);
    expect(closed.payload!.breach!.status).toBe('CLOSED');
    const again = await step(BOARD, 'recordBoardNotification', { breachId: id, reference: 'x' });
    expect(again.payload!.userErrors.map((e) => e.code)).toEqual(['BREACH_CLOSED']);

    const list = await graphql(gw, BREACHES, { token: operatorToken });
    expect(list.data!.breaches).toEqual(expect.arrayContaining([{ id, status: 'CLOSED' }]));
  });

  it('refuses the breach register to a customer (FORBIDDEN)', async () => {
    const detectedAt = new Date().toISOString();
    const attempts = [
      await graphql(gw, REPORT, { token: customer.accessToken, variables: { input: { detectedAt, role: 'CONTROLLER', description: 'x' } } }),
      await graphql(gw, BOARD, { token: customer.accessToken, variables: { breachId: '0123456789abcdef01234567', reference: 'x' } }),
      await graphql(gw, CLOSE, { token: customer.accessToken, variables: { breachId: '0123456789abcdef01234567' } }),
      await graphql(gw, BREACHES, { token: customer.accessToken }),
      await graphql(gw, BREACH, { token: customer.accessToken, variables: { id: '0123456789abcdef01234567' } }),
    ];
    for (const response of attempts) expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it('answers BREACH_NOT_FOUND for an unknown breach, and refuses a processor breach without affected customers', async () => {
    for (const breachId of ['0123456789abcdef01234567', 'not-an-id']) {
      const unknown = await step(BOARD, 'recordBoardNotification', { breachId, reference: 'KVKK-1' });
      expect(unknown.response.errors).toBeUndefined();
      expect(unknown.payload).toMatchObject({ breach: null, userErrors: [{ code: 'BREACH_NOT_FOUND', field: ['breachId'] }] });
    }
    const unknownClose = await step(CLOSE, 'closeBreach', { breachId: '0123456789abcdef01234567' });
    expect(unknownClose.payload!.userErrors.map((e) => e.code)).toEqual(['BREACH_NOT_FOUND']);

    const noOrgs = await step(REPORT, 'reportBreach', { input: { detectedAt: new Date().toISOString(), role: 'PROCESSOR', description: 'x' } });
    expect(noOrgs.payload).toMatchObject({ breach: null, userErrors: [{ code: 'REQUIRED', field: ['input', 'affectedOrganizationIds'] }] });
  });
});
