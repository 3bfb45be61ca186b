// KVKK art. 12 (technical measures) and CON-6: the personal data workflows
// carry (an e-mail address in a verification e-mail's input, for one) is
// encrypted before it reaches Temporal. Read straight from the real Temporal
// dev server without the key, a history shows none of it; the platform's own
// client, and the Temporal UI through the worker's codec endpoint, read it.
import { connect } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@omurga/shared';
import { ENCRYPTED_ENCODING, platformDataConverter, payloadToJson } from '@omurga/shared/temporal';
import { signUpAndVerify, type SignedUp } from '../support/accounts.ts';

/** A payload as Temporal stores it (the shape of @temporalio/common's Payload). */
interface Payload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

const stack = inject('stack');
const config = loadConfig({ ...process.env, ...stack.env });
const codec = platformDataConverter(config).payloadCodecs![0]!;

let person: SignedUp;
let raw: Client;
/** Every payload of the e-mail workflows that ran for this test's sign-up, as Temporal stores them. */
let stored: Payload[];

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

/**
 * OpenTelemetry's trace header (issue 13): Temporal applies no codec to
 * headers, so it is stored in the clear; it may hold W3C trace ids only.
 */
function isTraceContext(payload: Payload): boolean {
  if (text(payload.metadata?.encoding) !== 'json/plain') return false;
  const fields = JSON.parse(text(payload.data)) as Record<string, unknown>;
  return Object.keys(fields).every((key) => key === 'traceparent' || key === 'tracestate') && /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/.test(String(fields.traceparent));
}

/** Every payload anywhere in a history (inputs, results, signals, memos …). */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  const candidate = value as { metadata?: unknown; data?: unknown };
  if (candidate.metadata && typeof candidate.metadata === 'object' && candidate.data instanceof Uint8Array) found.push(candidate as Payload);
  for (const child of Object.values(value)) payloadsIn(child, found);
  return found;
}

beforeAll(async () => {
  const startedAt = new Date(Date.now() - 1_000).toISOString();
  person = await signUpAndVerify(stack);
  // A client without the platform's key: what anyone with access to Temporal (or its database) sees.
  raw = new Client({ connection: await Connection.connect({ address: config.temporal.address }), namespace: config.temporal.namespace });
  // Visibility follows the executions closely but not at once: read until this sign-up's e-mails are listed.
  for (let attempt = 0; attempt < 40; attempt++) {
    stored = [];
    for await (const execution of raw.workflow.list({ query: `WorkflowType = 'sendEmailWorkflow' AND StartTime > '${startedAt}'` })) {
      stored.push(...payloadsIn(await raw.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory()));
    }
    if ((await codec.decode(stored)).some((payload) => text(payload.data).includes(person.email))) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterAll(async () => {
  await raw?.connection.close();
});

describe('Temporal payloads are encrypted (KVKK art. 12)', () => {
  it('stores no e-mail address readable without the key; every payload is encrypted, and the key reads them back', async () => {
    expect(stored.length).toBeGreaterThan(0);
    for (const payload of stored) {
      expect(text(payload.data)).not.toContain(person.email);
      if (isTraceContext(payload)) continue;
      expect(text(payload.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    }
    const decoded = await codec.decode(stored);
    // The same payloads, decoded with the key, do hold the address (so the check above looked at the right data).
    expect(decoded.some((payload) => text(payload.data).includes(person.email))).toBe(true);

  });

  it('serves the Temporal UI a codec on the worker: it decodes for the UI origin, and refuses malformed or tampered payloads', async () => {
    const endpoint = stack.codecUrl;
    const uiOrigin = new URL(stack.temporalUiUrl).origin;
    // The dev server's UI is told where the codec is (./platform start passes --ui-codec-endpoint).
    const settings = await fetch(`${stack.temporalUiUrl}/api/v1/settings`);
    expect(await settings.json()).toMatchObject({ Codec: { Endpoint: endpoint } });

    const preflight = await fetch(`${endpoint}/decode`, { method: 'OPTIONS', headers: { origin: uiOrigin, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');

    const response = await fetch(`${endpoint}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': config.temporal.namespace, origin: uiOrigin },
      body: JSON.stringify({ payloads: stored.map(payloadToJson) }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(body.payloads).toHaveLength(stored.length);
    expect(body.payloads.some((p) => Buffer.from(p.data, 'base64').toString('utf8').includes(person.email))).toBe(true);
    expect(body.payloads.every((p) => Buffer.from(p.metadata.encoding!, 'base64').toString('utf8') !== ENCRYPTED_ENCODING)).toBe(true);

    const malformed = await fetch(`${endpoint}/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payloads": 3}' });
    expect(malformed.status).toBe(400);
    const tamperedData = Buffer.from(stored[0]!.data!);
    tamperedData[tamperedData.length - 1] = tamperedData[tamperedData.length - 1]! ^ 0xff;
    const tampered = await fetch(`${endpoint}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [payloadToJson({ ...stored[0]!, data: new Uint8Array(tamperedData) })] }),
    });
    expect(tampered.status).toBe(422);
    expect(await tampered.json()).toEqual({ error: 'payload could not be decoded' });

    // A client that goes away half-way through its request does not take the worker down.
    const url = new URL(endpoint);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST ${url.pathname}/decode HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"payloads": [`);
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${stack.workerHealthUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${endpoint}/decode`, { method: 'POST', body: JSON.stringify({ payloads: [] }) })).status).toBe(200);
    expect((await fetch(`${endpoint.replace(/\/codec$/, '')}/other`)).status).toBe(404);
  });
});
