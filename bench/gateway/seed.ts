// The gateway benchmark's data, made through the public API as customers and
// an operator would: one busy organisation (members, subscriptions, tickets,
// a data export) and a hundred small ones with a ticket each.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Caller {
  token: string;
}

interface GraphQLAnswer {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string, ip?: string): Promise<Record<string, any>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(ip ? { 'x-forwarded-for': ip } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLAnswer;
  if (body.errors?.length || !body.data) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** Checks a mutation payload's userErrors and returns the payload. */
function ok<T extends { userErrors?: unknown[] }>(payload: T, what: string): T {
  if (payload.userErrors?.length) throw new Error(`${what}: ${JSON.stringify(payload.userErrors)}`);
  return payload;
}

const randomIp = () => `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;
const AUTH = 'accessToken user { id } userErrors { code field message }';
const PASSWORD = 'Kestane-Bal-Ormani-42';

interface Mail {
  subject: string;
  text: string;
  to: { address: string }[];
}

async function linkToken(mailUrl: string, to: string): Promise<string> {
  for (let attempt = 0; attempt < 240; attempt++) {
    const mails = (await (await fetch(`${mailUrl}/email`)).json()) as Mail[];
    const mail = mails.find((m) => m.to.some((a) => a.address === to));
    const match = mail && /[?&]token=([^\s&]+)/.exec(mail.text);
    if (match) return decodeURIComponent(match[1]!);
    await sleep(250);
  }
  throw new Error(`no e-mail with a link reached ${to}`);
}

async function documentIds(gw: string): Promise<string[]> {
  const data = await graphql(gw, 'query($l: String!) { currentLegalDocuments(locale: $l) { id kind } }', { l: 'tr' });
  return (data.currentLegalDocuments as { id: string; kind: string }[]).filter((d) => d.kind === 'USER_AGREEMENT' || d.kind === 'INFORMATION_NOTICE').map((d) => d.id);
}

export interface Customer extends Caller {
  email: string;
  organizationId: string;
}

async function signUp(gw: string, mailUrl: string, documents: string[], label: string): Promise<Customer> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const ip = randomIp();
  const input = {
    firstName: 'Ayşe', lastName: 'Demir', email, password: PASSWORD, phone: '0532 123 45 67', companyName: `Bench ${label}`,
    customerType: 'INDIVIDUAL', nationalId: '10000000146', billingAddress: { line1: 'Bağdat Cd. No: 1', city: 'İstanbul', country: 'TR' },
    ageConfirmed: true, acceptedDocumentVersionIds: documents,
  };
  const signedUp = ok((await graphql(gw, 'mutation($input: SignUpInput!) { signUp(input: $input) { organization { id } userErrors { code field message } } }', { input }, undefined, ip)).signUp, 'signUp');
  const token = await linkToken(mailUrl, email);
  const verified = ok((await graphql(gw, `mutation($t: String!) { verifyEmail(token: $t) { ${AUTH} } }`, { t: token }, undefined, ip)).verifyEmail, 'verifyEmail');
  return { email, organizationId: signedUp.organization.id, token: verified.accessToken };
}

export async function logIn(gw: string, email: string, password: string): Promise<string> {
  const data = await graphql(gw, `mutation($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { ${AUTH} } }`, { e: email, p: password }, undefined, randomIp());
  return ok(data.logIn, 'logIn').accessToken;
}

async function addMember(gw: string, mailUrl: string, owner: Customer, documents: string[], n: number) {
  const email = `member-${n}-${randomUUID().slice(0, 8)}@example.com`;
  await graphql(gw, 'mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: READ_ONLY) }', { o: owner.organizationId, e: email }, owner.token);
  const token = await linkToken(mailUrl, email);
  const input = { token, firstName: 'Üye', lastName: `No ${n}`, password: PASSWORD, ageConfirmed: true, acceptedDocumentVersionIds: documents };
  ok((await graphql(gw, `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${AUTH} } }`, { input }, undefined, randomIp())).acceptInvitation, 'acceptInvitation');
}

const OPEN_TICKET = 'mutation($input: OpenTicketInput!) { openTicket(input: $input) { ticket { id } userErrors { code field message } } }';
const openTicket = (gw: string, customer: Customer, n: number) =>
  graphql(gw, OPEN_TICKET, { input: { organizationId: customer.organizationId, subject: `Fatura sorusu ${n}`, body: 'Merhaba, faturamla ilgili bir sorum var.', department: 'BILLING', priority: 'NORMAL' } }, customer.token)
    .then((data) => ok(data.openTicket, 'openTicket'));

/** Runs `task` for 0..count-1, `width` at a time. */
async function inBatches(count: number, width: number, task: (i: number) => Promise<unknown>) {
  for (let start = 0; start < count; start += width) {
    await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, k) => task(start + k)));
  }
}

export interface Seeded {
  busy: Customer;
  /** fresh sessions of the busy organisation's owner (access tokens live 10 minutes) */
  ownerTokens(count: number): Promise<string[]>;
  /** the hundred small organisations' tickets are listed by this support agent */
  agentToken: string;
  smallOrganizations: number;
}

export async function seed(gw: string, mailUrl: string, operator: { email: string; password: string }, smallOrganizations: number, log: (line: string) => void): Promise<Seeded> {
  const documents = await documentIds(gw);
  const busy = await signUp(gw, mailUrl, documents, 'busy');
  for (let n = 1; n <= 3; n++) await addMember(gw, mailUrl, busy, documents, n);
  // One trial at a time per organisation: plans whose policies have none start beside it.
  let subscriptions = 0;
  for (const planCode of ['PRO-HUB-MONTHLY', 'SOFTWARE-LICENSE', 'CALLCENTER-RENTAL', 'ECOMMERCE-SELF-SERVICE']) {
    const data = await graphql(
      gw,
      'mutation($input: StartSubscriptionInput!) { startSubscription(input: $input) { subscription { id } userErrors { code field message } } }',
      { input: { organizationId: busy.organizationId, planCode, currency: planCode === 'ECOMMERCE-SELF-SERVICE' ? 'USD' : 'TRY', paymentMethodToken: 'sandbox_ok' } },
      busy.token,
    );
    if (data.startSubscription.subscription) subscriptions++;
  }
  if (!subscriptions) throw new Error('no subscription could be started');
  await inBatches(20, 5, (n) => openTicket(gw, busy, n));
  ok((await graphql(gw, 'mutation($o: ID!) { requestOrganizationExport(organizationId: $o) { userErrors { code field message } } }', { o: busy.organizationId }, busy.token)).requestOrganizationExport, 'requestOrganizationExport');
  log(`seeded the busy organisation: 4 members, ${subscriptions} subscriptions, 20 tickets, 1 export`);

  await inBatches(smallOrganizations, 5, async (n) => {
    const customer = await signUp(gw, mailUrl, documents, `small${n}`);
    await openTicket(gw, customer, n);
  });
  log(`seeded ${smallOrganizations} small organisations with a ticket each`);

  const ownerTokens = async (count: number) => {
    const tokens: string[] = [];
    for (let n = 0; n < count; n++) tokens.push(await logIn(gw, busy.email, PASSWORD));
    return tokens;
  };
  return { busy, ownerTokens, agentToken: await logIn(gw, operator.email, operator.password), smallOrganizations };
}
