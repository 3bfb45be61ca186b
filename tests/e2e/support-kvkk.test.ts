// SUP-8 / CON-5: a KVKK request that arrived as a support ticket becomes a
// data-subject request through the gateway: support starts the conversion
// workflow, consent records the request, support links the ticket, and the
// link reads both ways across the two subgraphs.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { waitFor } from '../support/billing.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const DAY_MS = 86_400_000;

const TICKET_FIELDS = `id number createdAt messages { body internal } events { kind actorId detail }
  dataSubjectRequest { id kind status receivedAt dueAt sourceTicket { id number } }`;
const PAYLOAD = `ticket { ${TICKET_FIELDS} } userErrors { code field message }`;
const OPEN = `mutation($input: OpenTicketInput!) { openTicket(input: $input) { ${PAYLOAD} } }`;
const REPLY = `mutation($id: ID!, $body: String!) { replyToTicket(ticketId: $id, body: $body) { ${PAYLOAD} } }`;
const NOTE = `mutation($id: ID!, $body: String!) { addInternalNote(ticketId: $id, body: $body) { ${PAYLOAD} } }`;
const CONVERT = `mutation($id: ID!, $kind: DataSubjectRequestKind!) { convertTicketToDataSubjectRequest(ticketId: $id, kind: $kind) { ${PAYLOAD} } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`;
const MY_REQUESTS = `{ me { dataSubjectRequests { id kind sourceTicket { id number } } } }`;
const DPO_REQUESTS = `query($status: DataSubjectRequestStatus) { dataSubjectRequests(status: $status) { id kind details receivedAt sourceTicket { id } } }`;
const VERIFY = `mutation($id: ID!) { verifyDataSubjectRequestIdentity(id: $id) { request { id status } userErrors { code } } }`;

interface Ticket {
  id: string;
  number: string;
  createdAt: string;
  messages: { body: string; internal: boolean }[];
  events: { kind: string; actorId: string | null; detail: string | null }[];
  dataSubjectRequest: { id: string; kind: string; status: string; receivedAt: string; dueAt: string; sourceTicket: { id: string; number: string } | null } | null;
}
type Payload = { ticket: Ticket | null; userErrors: { code: string; field: string[] | null }[] };

let agentToken: string;
let agentId: string;
let customer: SignedUp;

async function mutate(query: string, field: string, token: string, variables: Record<string, unknown>): Promise<Payload> {
  const response = await graphql(gw, query, { token, variables });
  expect(response.errors).toBeUndefined();
  return response.data![field] as Payload;
}

async function ok(query: string, field: string, token: string, variables: Record<string, unknown>): Promise<Ticket> {
  const payload = await mutate(query, field, token, variables);
  expect(payload.userErrors).toEqual([]);
  return payload.ticket!;
}

async function readTicket(token: string, id: string): Promise<Ticket> {
  const response = await graphql(gw, TICKET, { token, variables: { id } });
  expect(response.errors).toBeUndefined();
  return response.data!.ticket;
}

const CUSTOMER_MESSAGE = 'KVKK 11. madde kapsamında hakkımda işlediğiniz tüm kişisel verilerin bir kopyasını istiyorum.';
const INTERNAL_NOTE = 'Dahili: müşteri geçen ay da aynı şeyi sormuştu, hukuk ekibine haber verelim.';

beforeAll(async () => {
  const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  expect(logIn.data!.logIn.userErrors).toEqual([]);
  agentToken = logIn.data!.logIn.accessToken;
  agentId = logIn.data!.logIn.user.id;
  customer = await signUpAndVerify(stack);
});

describe('KVKK requests arriving as tickets (SUP-8, CON-5)', () => {
  it('SUP-8/CON-5: an agent converts a ticket into an ACCESS request received when the ticket was opened; the link reads both ways, the history stays, internal notes stay in support', async () => {
    const opened = await ok(OPEN, 'openTicket', customer.accessToken, {
      input: { organizationId: customer.organizationId, subject: 'Kişisel verilerim', body: CUSTOMER_MESSAGE, department: 'TECHNICAL', priority: 'NORMAL' },
    });
    await ok(NOTE, 'addInternalNote', agentToken, { id: opened.id, body: INTERNAL_NOTE });
    await ok(REPLY, 'replyToTicket', agentToken, { id: opened.id, body: 'Talebinizi KVKK başvurusu olarak işleme alıyoruz.' });

    const converted = await mutate(CONVERT, 'convertTicketToDataSubjectRequest', agentToken, { id: opened.id, kind: 'ACCESS' });
    expect(converted.userErrors).toEqual([]);
    expect(converted.ticket!.events).toContainEqual({ kind: 'DSR_CONVERSION_REQUESTED', actorId: agentId, detail: 'ACCESS' });

    // The workflow links the ticket once consent has recorded the request (usually before the mutation answers).
    const linked = await waitFor(() => readTicket(agentToken, opened.id), (t) => t.dataSubjectRequest?.status != null, 20_000);
    const request = linked.dataSubjectRequest!;
    expect(request).toMatchObject({ kind: 'ACCESS', status: 'RECEIVED', sourceTicket: { id: opened.id, number: opened.number } });
    // The request arrived with the ticket: its 30 days (KVKK art. 13) run from the ticket's creation.
    expect(request.receivedAt).toBe(opened.createdAt);
    expect(Date.parse(request.dueAt) - Date.parse(opened.createdAt)).toBe(30 * DAY_MS);
    expect(linked.events).toContainEqual({ kind: 'CONVERTED_TO_DSR', actorId: null, detail: request.id });
    // Nothing of the ticket's history is lost.
    expect(linked.messages.map((m) => m.body)).toEqual([CUSTOMER_MESSAGE, INTERNAL_NOTE, 'Talebinizi KVKK başvurusu olarak işleme alıyoruz.']);

    // The person sees it among their own requests, linked back to their ticket.
    const mine = await graphql(gw, MY_REQUESTS, { token: customer.accessToken });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.me.dataSubjectRequests).toEqual([{ id: request.id, kind: 'ACCESS', sourceTicket: { id: opened.id, number: opened.number } }]);
    const customerView = await readTicket(customer.accessToken, opened.id);
    expect(customerView.dataSubjectRequest).toMatchObject({ id: request.id, kind: 'ACCESS' });

    // The DPO reads the customer-visible conversation as the request's details; the internal note stays in support (SUP-7).
    const dpo = await graphql(gw, DPO_REQUESTS, { token: agentToken, variables: { status: 'RECEIVED' } });
    expect(dpo.errors).toBeUndefined();
    const stored = (dpo.data!.dataSubjectRequests as { id: string; details: string | null; receivedAt: string; sourceTicket: { id: string } | null }[]).find((r) => r.id === request.id);
    expect(stored).toMatchObject({ receivedAt: opened.createdAt, sourceTicket: { id: opened.id } });
    expect(stored!.details).toContain(CUSTOMER_MESSAGE);
    expect(stored!.details).toContain(opened.number);
    expect(stored!.details).toContain('Talebinizi KVKK başvurusu olarak işleme alıyoruz.');
    expect(stored!.details).not.toContain(INTERNAL_NOTE);

    // From here it is a request like any other: the DPO steps apply.
    const verify = await graphql(gw, VERIFY, { token: agentToken, variables: { id: request.id } });
    expect(verify.errors).toBeUndefined();
    expect(verify.data!.verifyDataSubjectRequestIdentity.userErrors).toEqual([]);
    const verified = await waitFor(() => readTicket(agentToken, opened.id), (t) => t.dataSubjectRequest?.status === 'IDENTITY_VERIFIED', 20_000);
    expect(verified.dataSubjectRequest!.id).toBe(request.id);

    // Converted once.
    const again = await mutate(CONVERT, 'convertTicketToDataSubjectRequest', agentToken, { id: opened.id, kind: 'ERASURE' });
    expect(again).toEqual({ ticket: null, userErrors: [expect.objectContaining({ code: 'ALREADY_CONVERTED', field: ['ticketId'] })] });
    const mineAfter = await graphql(gw, MY_REQUESTS, { token: customer.accessToken });
    expect(mineAfter.data!.me.dataSubjectRequests).toHaveLength(1);
  });

  it('SUP-8: only agents convert; a customer is FORBIDDEN and a missing ticket is TICKET_NOT_FOUND', async () => {
    const opened = await ok(OPEN, 'openTicket', customer.accessToken, {
      input: { organizationId: customer.organizationId, subject: 'Verilerimi silin', body: 'Hesabımı ve verilerimi silmenizi istiyorum.', department: 'TECHNICAL', priority: 'LOW' },
    });
    const byCustomer = await graphql(gw, CONVERT, { token: customer.accessToken, variables: { id: opened.id, kind: 'ERASURE' } });
    expect(errorCodes(byCustomer)).toEqual(['FORBIDDEN']);
    expect((await readTicket(agentToken, opened.id)).dataSubjectRequest).toBeNull();

    const missing = await mutate(CONVERT, 'convertTicketToDataSubjectRequest', agentToken, { id: '0123456789abcdef01234567', kind: 'ERASURE' });
    expect(missing).toEqual({ ticket: null, userErrors: [expect.objectContaining({ code: 'TICKET_NOT_FOUND', field: ['ticketId'] })] });
  });
});
