// Issue 6 (support): tickets through the gateway with the real support
// service, ticket workflow, billing (plans and subscriptions) and MailDev.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { AUTH_FIELDS, IDS, LOG_IN, clientIp, currentDocumentIds, signUpAndVerify, tokenFromEmail, uniqueEmail, type SignedUp } from '../support/accounts.ts';
import { START_SUBSCRIPTION, waitFor } from '../support/billing.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { waitForEmail } from '../support/mail-catcher.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const suffix = randomUUID().slice(0, 8);
const ESCALATION_EMAIL = 'support-escalations@omurga.local';

const TICKET_FIELDS = `id number subject status priority department subscriptionId organization { id }
  messages { id body fromOperator internal }
  attachments { id fileName contentType size downloadPath }
  firstResponseDueAt responseDueAt slaBreached assigneeId flaggedForAbuse events { kind detail } abuseDecisions { decision note }
  rating { rating comment } createdAt closedAt`;
const PAYLOAD = `ticket { ${TICKET_FIELDS} } userErrors { code field message }`;
const OPEN = `mutation($input: OpenTicketInput!) { openTicket(input: $input) { ${PAYLOAD} } }`;
const REPLY = `mutation($id: ID!, $body: String!, $canned: ID) { replyToTicket(ticketId: $id, body: $body, cannedResponseId: $canned) { ${PAYLOAD} } }`;
const NOTE = `mutation($id: ID!, $body: String!) { addInternalNote(ticketId: $id, body: $body) { ${PAYLOAD} } }`;
const CLOSE = `mutation($id: ID!) { closeTicket(ticketId: $id) { ${PAYLOAD} } }`;
const RATE = `mutation($id: ID!, $r: Int!, $c: String) { rateTicket(ticketId: $id, rating: $r, comment: $c) { ${PAYLOAD} } }`;
const HOLD = `mutation($id: ID!) { setTicketOnHold(ticketId: $id) { ${PAYLOAD} } }`;
const RESUME = `mutation($id: ID!) { resumeTicket(ticketId: $id) { ${PAYLOAD} } }`;
const ASSIGN = `mutation($id: ID!, $a: ID) { assignTicket(ticketId: $id, agentId: $a) { ${PAYLOAD} } }`;
const DECIDE = `mutation($id: ID!, $d: AbuseDecision!, $n: String) { decideAbuseFlag(ticketId: $id, decision: $d, note: $n) { ${PAYLOAD} } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`;
const ORG_TICKETS = `query($o: ID!) { organization(id: $o) { tickets(first: 10) { edges { node { id number status } } } } }`;
const AGENT_QUEUE = `query($s: TicketStatus, $f: Boolean) { supportTickets(status: $s, flaggedForAbuse: $f, first: 100) { edges { node { id status flaggedForAbuse } } } }`;
const ATTACH = `mutation($input: TicketAttachmentInput!) { addTicketAttachment(input: $input) { attachment { id fileName contentType size downloadPath } userErrors { code field } } }`;

interface Ticket {
  id: string;
  number: string;
  status: string;
  subscriptionId: string | null;
  organization: { id: string };
  messages: { id: string; body: string; fromOperator: boolean; internal: boolean }[];
  attachments: { id: string; fileName: string; contentType: string; size: number; downloadPath: string }[];
  firstResponseDueAt: string | null;
  responseDueAt: string | null;
  assigneeId: string | null;
  flaggedForAbuse: boolean;
  events: { kind: string; detail: string | null }[];
  abuseDecisions: { decision: string; note: string | null }[];
  rating: { rating: number; comment: string | null } | null;
  createdAt: string;
  closedAt: string | null;
}

let agentToken: string;
let agentId: string;
let customer: SignedUp;
let stranger: SignedUp;
let readOnlyToken: string;
let planCode: string;

async function logIn(email: string, password: string) {
  const response = await graphql(gw, LOG_IN, { variables: { email, password }, headers: { 'x-forwarded-for': clientIp() } });
  expect(response.data!.logIn.userErrors).toEqual([]);
  return { token: response.data!.logIn.accessToken as string, userId: response.data!.logIn.user.id as string };
}

async function mutate(query: string, field: string, token: string, variables: Record<string, unknown>) {
  const response = await graphql(gw, query, { token, variables });
  expect(response.errors).toBeUndefined();
  return response.data![field] as { ticket: Ticket | null; userErrors: { code: string; field: string[] | null }[] };
}

async function ok(query: string, field: string, token: string, variables: Record<string, unknown>): Promise<Ticket> {
  const payload = await mutate(query, field, token, variables);
  expect(payload.userErrors).toEqual([]);
  return payload.ticket!;
}

function openInput(owner: SignedUp, overrides: Record<string, unknown> = {}) {
  return { organizationId: owner.organizationId, subject: 'Sunucum açılmıyor', body: 'Merhaba, sunucum yeniden başlatıldıktan sonra açılmıyor.', department: 'TECHNICAL', priority: 'HIGH', ...overrides };
}

const open = (owner: SignedUp, overrides: Record<string, unknown> = {}) => ok(OPEN, 'openTicket', owner.accessToken, { input: openInput(owner, overrides) });

async function readTicket(token: string, id: string): Promise<Ticket | null> {
  const response = await graphql(gw, TICKET, { token, variables: { id } });
  expect(response.errors).toBeUndefined();
  return response.data!.ticket;
}

/** A READ_ONLY member of `owner`'s organisation, invited and joined by e-mail. */
async function readOnlyMemberOf(owner: SignedUp): Promise<string> {
  const email = uniqueEmail('readonly');
  const invite = await graphql(gw, 'mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: READ_ONLY) }', {
    token: owner.accessToken,
    variables: { o: owner.organizationId, e: email },
  });
  expect(invite.data!.inviteMember).toBe(true);
  const { token } = await tokenFromEmail(stack.mailCatcherUrl, email, /davet ediyor/);
  const accepted = await graphql(gw, `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${AUTH_FIELDS} } }`, {
    variables: {
      input: { token, firstName: 'Okur', lastName: 'Yazar', password: 'Salkim-Sogut-Golge-77', ageConfirmed: true, acceptedDocumentVersionIds: await currentDocumentIds(gw) },
    },
  });
  expect(accepted.data!.acceptInvitation.userErrors).toEqual([]);
  return accepted.data!.acceptInvitation.accessToken;
}

/** A plan of its own (with an SLA policy below) and a customer subscribed to it. */
async function createPlan(): Promise<string> {
  const policy = {
    code: `e2e-support-${suffix}`,
    name: 'E2E support policy',
    seedReference: 'e2e',
    trialRequiresPaymentMethod: false,
    billingPeriod: 'P1M',
    collectionMethod: 'CARD_AUTO',
    maxCollectionAttempts: 3,
    retryInterval: 'P1D',
    suspendAfter: 'P10D',
    terminateAfter: 'P30D',
    dataDeletionAfterTermination: 'P30D',
    cancellationNotice: 'PT0S',
    termsChangeNotice: 'PT0S',
  };
  const createdPolicy = await graphql(gw, 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { token: agentToken, variables: { input: policy } });
  expect(createdPolicy.errors).toBeUndefined();
  const code = `e2e-support-plan-${suffix}`;
  const plan = { code, name: 'E2E support plan', policyCode: policy.code, prices: [{ currency: 'TRY', amountMinor: 100_00 }] };
  const createdPlan = await graphql(gw, 'mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { token: agentToken, variables: { input: plan } });
  expect(createdPlan.errors).toBeUndefined();
  return code;
}

async function subscribe(owner: SignedUp): Promise<string> {
  const response = await graphql(gw, START_SUBSCRIPTION, {
    token: owner.accessToken,
    variables: { input: { organizationId: owner.organizationId, planCode, currency: 'TRY', paymentMethodToken: 'sandbox_ok' } },
  });
  expect(response.errors).toBeUndefined();
  expect(response.data!.startSubscription.userErrors).toEqual([]);
  return response.data!.startSubscription.subscription.id;
}

beforeAll(async () => {
  ({ token: agentToken, userId: agentId } = await logIn(E2E_OPERATOR.email, E2E_OPERATOR.password));
  [customer, stranger] = await Promise.all([signUpAndVerify(stack), signUpAndVerify(stack)]);
  readOnlyToken = await readOnlyMemberOf(customer);
  planCode = await createPlan();
});

describe('tickets (SUP-1, SUP-2, SUP-7)', () => {
  it('SUP-1/SUP-2/SUP-7: opened by the customer, answered by an agent (e-mail), reopened by the customer, closed (e-mail) and rated once', async () => {
    const opened = await open(customer);
    expect(opened.number).toMatch(/^DST-20\d{2}-\d{6,}$/);
    expect(opened).toMatchObject({ status: 'OPEN', priority: 'HIGH', department: 'TECHNICAL', organization: { id: customer.organizationId } });
    expect(opened.messages).toEqual([expect.objectContaining({ fromOperator: false, internal: false })]);

    // SUP-3, read your writes (issue 12): openTicket answers with the first-response target it caused,
    // computed by the ticket clock's own rules (the workflow records the same instant).
    expect(opened.firstResponseDueAt).not.toBeNull();
    expect(Date.parse(opened.firstResponseDueAt!)).toBeGreaterThan(Date.parse(opened.createdAt));
    expect(opened.responseDueAt).toBe(opened.firstResponseDueAt);

    const queue = await graphql(gw, AGENT_QUEUE, { token: agentToken, variables: { s: 'OPEN' } });
    expect(queue.data!.supportTickets.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(opened.id);

    const answered = await ok(REPLY, 'replyToTicket', agentToken, { id: opened.id, body: 'Sunucunuzu yeniden başlattık, kontrol eder misiniz?' });
    expect(answered.status).toBe('ANSWERED');
    const replyMail = await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === customer.email) && m.subject.includes(opened.number) && /yanıtlandı/.test(m.subject));
    expect(replyMail.text).toContain('Sunucunuzu yeniden başlattık');

    const reopened = await ok(REPLY, 'replyToTicket', customer.accessToken, { id: opened.id, body: 'Hâlâ açılmıyor.' });
    expect(reopened.status).toBe('CUSTOMER_REPLY');
    expect(reopened.messages.map((m) => m.fromOperator)).toEqual([false, true, false]);

    const early = await mutate(RATE, 'rateTicket', customer.accessToken, { id: opened.id, r: 5 });
    expect(early.userErrors.map((e) => e.code)).toEqual(['NOT_CLOSED']);

    const closed = await ok(CLOSE, 'closeTicket', customer.accessToken, { id: opened.id });
    expect(closed.status).toBe('CLOSED');
    expect(closed.closedAt).not.toBeNull();
    await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === customer.email) && m.subject.includes(opened.number) && /kapatıldı/.test(m.subject));

    const badRating = await mutate(RATE, 'rateTicket', customer.accessToken, { id: opened.id, r: 6 });
    expect(badRating.userErrors.map((e) => e.code)).toEqual(['INVALID_RATING']);
    const rated = await ok(RATE, 'rateTicket', customer.accessToken, { id: opened.id, r: 4, c: 'Hızlı yanıt' });
    expect(rated.rating).toEqual({ rating: 4, comment: 'Hızlı yanıt' });
    const again = await mutate(RATE, 'rateTicket', customer.accessToken, { id: opened.id, r: 1 });
    expect(again.userErrors.map((e) => e.code)).toEqual(['ALREADY_RATED']);

    // A reply after closing reopens the ticket (SUP-2).
    const afterClose = await ok(REPLY, 'replyToTicket', customer.accessToken, { id: opened.id, body: 'Bir sorum daha var.' });
    expect(afterClose).toMatchObject({ status: 'CUSTOMER_REPLY', closedAt: null });
  });

  it('SUP-7: an internal note is shown to agents and never to the customer, not even through the organisation list', async () => {
    const opened = await open(customer);
    const noted = await ok(NOTE, 'addInternalNote', agentToken, { id: opened.id, body: 'Müşteri daha önce de aynı sorunu yaşamış.' });
    expect(noted.messages.filter((m) => m.internal)).toHaveLength(1);

    const seen = await readTicket(customer.accessToken, opened.id);
    expect(seen!.messages.map((m) => m.body)).not.toContain('Müşteri daha önce de aynı sorunu yaşamış.');
    expect(seen!.messages.every((m) => !m.internal)).toBe(true);

    const viaOrganization = await graphql(gw, `query($o: ID!) { organization(id: $o) { tickets(first: 50) { edges { node { id messages { body internal } } } } } }`, {
      token: customer.accessToken,
      variables: { o: customer.organizationId },
    });
    expect(viaOrganization.errors).toBeUndefined();
    const bodies = viaOrganization.data!.organization.tickets.edges.flatMap((e: { node: { messages: { body: string }[] } }) => e.node.messages.map((m) => m.body));
    expect(bodies).not.toContain('Müşteri daha önce de aynı sorunu yaşamış.');

    const note = await graphql(gw, NOTE, { token: customer.accessToken, variables: { id: opened.id, body: 'x' } });
    expect(errorCodes(note)).toEqual(['FORBIDDEN']);
  });

  it('SUP-1: another organisation cannot see, list or change the ticket: it looks missing', async () => {
    const opened = await open(customer);
    expect(await readTicket(stranger.accessToken, opened.id)).toBeNull();
    const reply = await mutate(REPLY, 'replyToTicket', stranger.accessToken, { id: opened.id, body: 'merhaba' });
    expect(reply).toEqual({ ticket: null, userErrors: [expect.objectContaining({ code: 'TICKET_NOT_FOUND' })] });
    const close = await mutate(CLOSE, 'closeTicket', stranger.accessToken, { id: opened.id });
    expect(close.userErrors.map((e) => e.code)).toEqual(['TICKET_NOT_FOUND']);
    const list = await graphql(gw, ORG_TICKETS, { token: stranger.accessToken, variables: { o: customer.organizationId } });
    expect(errorCodes(list)).toContain('FORBIDDEN');
    const foreignOpen = await graphql(gw, OPEN, { token: stranger.accessToken, variables: { input: openInput(customer) } });
    expect(errorCodes(foreignOpen)).toEqual(['FORBIDDEN']);
    expect((await readTicket(customer.accessToken, opened.id))!.status).toBe('OPEN');
  });

  it('SUP-1: a READ_ONLY member reads the organisation tickets but cannot open, reply or close', async () => {
    const opened = await open(customer);
    expect((await readTicket(readOnlyToken, opened.id))!.id).toBe(opened.id);
    const list = await graphql(gw, ORG_TICKETS, { token: readOnlyToken, variables: { o: customer.organizationId } });
    expect(list.data!.organization.tickets.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(opened.id);

    expect(errorCodes(await graphql(gw, OPEN, { token: readOnlyToken, variables: { input: openInput(customer) } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, REPLY, { token: readOnlyToken, variables: { id: opened.id, body: 'x' } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, CLOSE, { token: readOnlyToken, variables: { id: opened.id } }))).toEqual(['FORBIDDEN']);
    expect((await readTicket(customer.accessToken, opened.id))!.messages).toHaveLength(1);
  });

  it('SUP-1: tickets opened at the same moment get distinct, readable numbers', async () => {
    const tickets = await Promise.all(Array.from({ length: 6 }, (_, i) => open(customer, { subject: `Aynı anda ${i}` })));
    const numbers = tickets.map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const number of numbers) expect(number).toMatch(/^DST-20\d{2}-\d{6,}$/);
  });

  it('SUP-1: bad input comes back as typed userErrors', async () => {
    const payload = await mutate(OPEN, 'openTicket', customer.accessToken, { input: openInput(customer, { subject: '  ', department: 'MARKETING' }) });
    expect(payload.ticket).toBeNull();
    expect(payload.userErrors.map((e) => [e.code, e.field])).toEqual([['REQUIRED', ['input', 'subject']]]);
    const department = await mutate(OPEN, 'openTicket', customer.accessToken, { input: openInput(customer, { department: 'MARKETING' }) });
    expect(department.userErrors.map((e) => [e.code, e.field])).toEqual([['INVALID_DEPARTMENT', ['input', 'department']]]);
    const priority = await graphql(gw, OPEN, { token: customer.accessToken, variables: { input: openInput(customer, { priority: 'CRITICAL' }) } });
    expect(errorCodes(priority)).toEqual(['BAD_USER_INPUT']);
    const anonymous = await graphql(gw, OPEN, { variables: { input: openInput(customer) } });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('SUP-2/SUP-7: agents hold and resume a ticket and assign it; customers cannot', async () => {
    const opened = await open(customer);
    const held = await ok(HOLD, 'setTicketOnHold', agentToken, { id: opened.id });
    expect(held.status).toBe('ON_HOLD');
    expect((await mutate(HOLD, 'setTicketOnHold', agentToken, { id: opened.id })).userErrors.map((e) => e.code)).toEqual(['INVALID_TRANSITION']);
    expect((await ok(RESUME, 'resumeTicket', agentToken, { id: opened.id })).status).toBe('OPEN');
    const assigned = await ok(ASSIGN, 'assignTicket', agentToken, { id: opened.id, a: agentId });
    expect(assigned.assigneeId).toBe(agentId);
    expect((await readTicket(customer.accessToken, opened.id))!.assigneeId).toBeNull();
    expect(errorCodes(await graphql(gw, ASSIGN, { token: customer.accessToken, variables: { id: opened.id, a: customer.userId } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, HOLD, { token: customer.accessToken, variables: { id: opened.id } }))).toEqual(['FORBIDDEN']);
  });

  it('SUP-7: an agent answers with a canned response in the customer language', async () => {
    const created = await graphql(gw, 'mutation($i: CannedResponseInput!) { createCannedResponse(input: $i) { cannedResponse { id title } userErrors { code } } }', {
      token: agentToken,
      variables: { i: { title: `Yeniden başlatma ${suffix}`, bodyTr: 'Sunucunuzu yeniden başlattık.', bodyEn: 'We restarted your server.' } },
    });
    expect(created.data!.createCannedResponse.userErrors).toEqual([]);
    const cannedId = created.data!.createCannedResponse.cannedResponse.id;
    const list = await graphql(gw, '{ cannedResponses { id } }', { token: agentToken });
    expect(list.data!.cannedResponses.map((c: { id: string }) => c.id)).toContain(cannedId);
    expect(errorCodes(await graphql(gw, '{ cannedResponses { id } }', { token: customer.accessToken }))).toEqual(['FORBIDDEN']);

    const opened = await open(customer);
    const answered = await ok(REPLY, 'replyToTicket', agentToken, { id: opened.id, body: 'İyi günler.', canned: cannedId });
    expect(answered.messages.at(-1)!.body).toBe('Sunucunuzu yeniden başlattık.\n\nİyi günler.');
    const refused = await mutate(REPLY, 'replyToTicket', customer.accessToken, { id: opened.id, body: 'x', canned: cannedId });
    expect(refused.userErrors.map((e) => e.code)).toEqual(['CANNED_RESPONSE_FOR_AGENTS']);
  });
});

describe('SLA and announcements (SUP-3, SUP-4)', () => {
  it('SUP-3: the plan policy sets a shorter first-response target than the default', async () => {
    const policy = await graphql(gw, 'mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { policy { planCode firstResponse } userErrors { code field } } }', {
      token: agentToken,
      variables: { i: { planCode, firstResponse: 'PT5M', nextResponse: 'PT5M', warnBefore: 'PT0S' } },
    });
    expect(policy.data!.setSlaPolicy).toEqual({ policy: { planCode, firstResponse: 'PT5M' }, userErrors: [] });
    const badPolicy = await graphql(gw, 'mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { userErrors { code field } } }', {
      token: agentToken,
      variables: { i: { planCode, firstResponse: '5 minutes', nextResponse: 'PT5M', warnBefore: 'PT0S' } },
    });
    expect(badPolicy.data!.setSlaPolicy.userErrors).toEqual([{ code: 'INVALID_DURATION', field: ['input', 'firstResponse'] }]);

    const subscriber = await signUpAndVerify(stack);
    await subscribe(subscriber);
    const planTicket = await open(subscriber);
    const defaultTicket = await open(stranger);
    const due = async (owner: SignedUp, id: string) => {
      const ticket = await waitFor(() => readTicket(owner.accessToken, id), (t) => t?.firstResponseDueAt != null, 20_000);
      return Date.parse(ticket!.firstResponseDueAt!) - Date.parse(ticket!.createdAt);
    };
    // Business time (10:00-22:00 Istanbul) stretches both alike; 5 minutes stays shorter than the default 3 hours.
    expect(await due(subscriber, planTicket.id)).toBeLessThan(await due(stranger, defaultTicket.id));
  });

  it('SUP-4: an agent publishes an announcement; customers see it in their language, without the agent-only extension', async () => {
    const before = await open(stranger);
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const input = { titleTr: `Bakım ${suffix}`, titleEn: `Maintenance ${suffix}`, bodyTr: 'Planlı bakım', bodyEn: 'Planned maintenance', startsAt, endsAt, extraBusinessTime: 'PT2H' };
    const created = await graphql(gw, 'mutation($i: AnnouncementInput!) { createAnnouncement(input: $i) { announcement { id extraBusinessTime } userErrors { code } } }', { token: agentToken, variables: { i: input } });
    expect(created.data!.createAnnouncement).toMatchObject({ announcement: { extraBusinessTime: 'PT2H' }, userErrors: [] });
    const refused = await graphql(gw, 'mutation($i: AnnouncementInput!) { createAnnouncement(input: $i) { userErrors { code } } }', { token: customer.accessToken, variables: { i: input } });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const invalid = await graphql(gw, 'mutation($i: AnnouncementInput!) { createAnnouncement(input: $i) { userErrors { code field } } }', {
      token: agentToken,
      variables: { i: { ...input, endsAt: startsAt, extraBusinessTime: 'two hours' } },
    });
    expect(invalid.data!.createAnnouncement.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_WINDOW', 'INVALID_DURATION']);

    const shown = await graphql(gw, '{ announcements { id title body extraBusinessTime } }', { token: customer.accessToken, headers: { 'accept-language': 'en' } });
    expect(shown.data!.announcements).toContainEqual({ id: created.data!.createAnnouncement.announcement.id, title: `Maintenance ${suffix}`, body: 'Planned maintenance', extraBusinessTime: null });

    // A ticket opened in the window gets 2 more hours of business time than one opened just before it.
    const during = await open(stranger);
    const target = async (id: string) => {
      const ticket = await waitFor(() => readTicket(stranger.accessToken, id), (t) => t?.firstResponseDueAt != null, 20_000);
      return Date.parse(ticket!.firstResponseDueAt!) - Date.parse(ticket!.createdAt);
    };
    expect((await target(during.id)) - (await target(before.id))).toBeGreaterThanOrEqual(2 * 3_600_000 - 60_000);
  });
});

describe('abusive language (SUP-5)', () => {
  it('SUP-5: a customer message with an abusive word flags the ticket for agents only, notifies operators, and the decision is audited', async () => {
    const opened = await open(customer);
    const replied = await ok(REPLY, 'replyToTicket', customer.accessToken, { id: opened.id, body: 'Siz ne APTAL insanlarsınız!' });
    expect(replied.flaggedForAbuse).toBe(false); // the customer does not see the flag
    const agentView = await readTicket(agentToken, opened.id);
    expect(agentView!.flaggedForAbuse).toBe(true);
    expect(agentView!.events).toContainEqual({ kind: 'ABUSE_FLAGGED', detail: 'aptal' });
    await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === ESCALATION_EMAIL) && m.subject.includes(opened.number));
    const queue = await graphql(gw, AGENT_QUEUE, { token: agentToken, variables: { f: true } });
    expect(queue.data!.supportTickets.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(opened.id);
    // Nothing automatic: the ticket carries on as usual.
    expect(agentView!.status).toBe('OPEN');

    expect(errorCodes(await graphql(gw, DECIDE, { token: customer.accessToken, variables: { id: opened.id, d: 'DISMISS' } }))).toEqual(['FORBIDDEN']);
    const warned = await ok(DECIDE, 'decideAbuseFlag', agentToken, { id: opened.id, d: 'WARN', n: 'Uyarı e-postası gönderilecek' });
    expect(warned.abuseDecisions).toEqual([{ decision: 'WARN', note: 'Uyarı e-postası gönderilecek' }]);
    const dismissed = await ok(DECIDE, 'decideAbuseFlag', agentToken, { id: opened.id, d: 'DISMISS' });
    expect(dismissed.flaggedForAbuse).toBe(false);
    expect(dismissed.abuseDecisions.map((d) => d.decision)).toEqual(['WARN', 'DISMISS']);

    const clean = await open(customer);
    expect((await mutate(DECIDE, 'decideAbuseFlag', agentToken, { id: clean.id, d: 'WARN' })).userErrors.map((e) => e.code)).toEqual(['NOT_FLAGGED']);
    expect((await readTicket(agentToken, clean.id))!.flaggedForAbuse).toBe(false);
  });
});

describe('attachments (SUP-1)', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300 * 1024, 7)]);

  it('SUP-1: stores a file in chunks, detects its type by content and serves it through the gateway only to the organisation', async () => {
    const opened = await open(customer);
    const added = await graphql(gw, ATTACH, {
      token: customer.accessToken,
      variables: { input: { ticketId: opened.id, fileName: 'ekran.png', contentType: 'application/pdf', contentBase64: png.toString('base64') } },
    });
    expect(added.errors).toBeUndefined();
    const attachment = added.data!.addTicketAttachment.attachment;
    expect(attachment).toMatchObject({ fileName: 'ekran.png', contentType: 'image/png', size: png.length });
    expect((await readTicket(customer.accessToken, opened.id))!.attachments.map((a) => a.id)).toEqual([attachment.id]);

    const download = (token?: string) => fetch(new URL(attachment.downloadPath, gw), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const mine = await download(customer.accessToken);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await mine.arrayBuffer()).equals(png)).toBe(true);
    expect((await download(agentToken)).status).toBe(200);
    expect((await download(stranger.accessToken)).status).toBe(404);
    expect((await download()).status).toBe(401);

    const executable = await graphql(gw, ATTACH, {
      token: customer.accessToken,
      variables: { input: { ticketId: opened.id, fileName: 'fatura.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1').toString('base64') } },
    });
    expect(executable.data!.addTicketAttachment).toEqual({ attachment: null, userErrors: [{ code: 'ATTACHMENT_TYPE_NOT_ALLOWED', field: ['input', 'contentBase64'] }] });
    const foreign = await graphql(gw, ATTACH, { token: stranger.accessToken, variables: { input: { ticketId: opened.id, fileName: 'a.txt', contentBase64: Buffer.from('hi').toString('base64') } } });
    expect(foreign.data!.addTicketAttachment.userErrors.map((e: { code: string }) => e.code)).toEqual(['TICKET_NOT_FOUND']);
  });
});

describe('partners (SUP-1)', () => {
  it('SUP-1: a partner opens and reads tickets for the customers it referred, and no others', async () => {
    const partner = await signUpAndVerify(stack, { customerType: 'CORPORATE', nationalId: null, taxId: IDS.vkn2, taxOffice: 'Şişli', authorityConfirmed: true, companyName: 'Bayi Yazılım Ltd.' });
    const approved = await graphql(gw, 'mutation($o: ID!) { approvePartner(organizationId: $o) { partnerCode } }', { token: agentToken, variables: { o: partner.organizationId } });
    const partnerCode = approved.data!.approvePartner.partnerCode as string;
    const key = await graphql(gw, 'mutation($o: ID!) { createApiKey(organizationId: $o, name: "CRM", scopes: ["customers:read"]) { apiKey userErrors { code } } }', {
      token: partner.accessToken,
      variables: { o: partner.organizationId },
    });
    expect(key.data!.createApiKey.userErrors).toEqual([]);
    const exchanged = await graphql(gw, `mutation($k: String!) { exchangeApiKey(apiKey: $k) { ${AUTH_FIELDS} } }`, { variables: { k: key.data!.createApiKey.apiKey } });
    const partnerToken = exchanged.data!.exchangeApiKey.accessToken as string;
    const referred = await signUpAndVerify(stack, { referralPartnerCode: partnerCode });

    const opened = await ok(OPEN, 'openTicket', partnerToken, { input: openInput(referred, { subject: 'Müşterimiz adına' }) });
    expect(opened.organization).toEqual({ id: referred.organizationId });
    expect((await readTicket(partnerToken, opened.id))!.id).toBe(opened.id);
    expect((await readTicket(referred.accessToken, opened.id))!.id).toBe(opened.id);

    const notReferred = await graphql(gw, OPEN, { token: partnerToken, variables: { input: openInput(stranger) } });
    expect(errorCodes(notReferred)).toEqual(['FORBIDDEN']);
    const foreign = await open(stranger);
    expect(await readTicket(partnerToken, foreign.id)).toBeNull();
  });
});

describe('free installation requests (SUP-6)', () => {
  it('SUP-6: an installation request needs a subscription of the organisation ordered within 30 days', async () => {
    const owner = await signUpAndVerify(stack);
    const missing = await mutate(OPEN, 'openTicket', owner.accessToken, { input: openInput(owner, { department: 'INSTALLATION' }) });
    expect(missing.userErrors.map((e) => e.code)).toEqual(['SUBSCRIPTION_REQUIRED']);

    const subscriptionId = await subscribe(owner);
    const accepted = await open(owner, { department: 'INSTALLATION', subscriptionId, subject: 'Kurulum talebi' });
    expect(accepted).toMatchObject({ department: 'INSTALLATION', subscriptionId });

    // Someone else's subscription does not count (billing answers with the caller's own rights).
    const foreign = await mutate(OPEN, 'openTicket', stranger.accessToken, { input: openInput(stranger, { department: 'INSTALLATION', subscriptionId }) });
    expect(foreign.userErrors.map((e) => e.code)).toEqual(['SUBSCRIPTION_NOT_FOUND']);
  });
});
