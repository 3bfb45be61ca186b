// Issue 13: every service serves Prometheus metrics with per-operation
// request counts, and one request is one trace from the gateway through the
// subgraph and its Temporal client into the workflow and its activity.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';
import { SIGN_UP, clientIp, currentDocumentIds, signUpInput, uniqueEmail } from '../support/accounts.ts';
import { graphql } from '../support/graphql.ts';
import { waitForEmail } from '../support/mail-catcher.ts';

const stack = inject('stack');

const PROBE = `query OpsMetricsProbe { plans { code } me { id } currentLegalDocuments(locale: "tr") { id } ticket(id: "000000000000000000000000") { id } }`;

describe('metrics', () => {
  it('counts the operation on the gateway and on each subgraph it reached, and the worker serves Temporal SDK metrics', async () => {
    const response = await graphql(stack.gatewayUrl, PROBE);
    expect(response.status).toBe(200);
    const text = async (name: string) => (await fetch(stack.metricsUrls[name]!)).text();

    expect(await text('gateway')).toMatch(/omurga_graphql_operation_duration_seconds_count\{service="gateway",operation="OpsMetricsProbe",type="query",outcome="(ok|error)"\} [1-9]/);
    for (const subgraph of ['accounts', 'billing', 'consent', 'support']) {
      // The gateway names its subgraph fetches after the caller's operation.
      expect(await text(subgraph)).toMatch(new RegExp(`omurga_graphql_operation_duration_seconds_count\\{service="${subgraph}",operation="OpsMetricsProbe__${subgraph}__\\d+",type="query",outcome="(ok|error)"\\} [1-9]`));
      expect(await text(subgraph)).toMatch(new RegExp(`omurga_http_request_duration_seconds_count\\{service="${subgraph}",method="POST",route="/graphql",status="200"\\} [1-9]`));
    }
    const worker = await text('worker');
    expect(worker).toContain('omurga_process_cpu_seconds_total');
    expect(worker).toMatch(/^temporal_\w+/m);
  });

  it('returns the request id on every response, the caller\'s when given', async () => {
    const given = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'e2e-request-42' }, body: JSON.stringify({ query: '{ plans { code } }' }) });
    expect(given.headers.get('x-request-id')).toBe('e2e-request-42');
    const fresh = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ plans { code } }' }) });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('tracing', () => {
  it('shows a sign-up as one trace: gateway, accounts and its database calls, the e-mail workflow and its activity', { timeout: 60_000 }, async () => {
    const traceId = randomBytes(16).toString('hex');
    const email = uniqueEmail('trace');
    const input = signUpInput({ email, acceptedDocumentVersionIds: await currentDocumentIds(stack.gatewayUrl) });
    const response = await graphql(stack.gatewayUrl, SIGN_UP, {
      variables: { input },
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-forwarded-for': clientIp() },
    });
    expect(response.data?.signUp.userErrors).toEqual([]);
    await waitForEmail(stack.mailCatcherUrl, (mail) => mail.to.some((to) => to.address === email));

    // Spans arrive as each process exports them: wait until every parent has arrived too.
    const orphansOf = (spans: ReceivedSpan[]) => {
      const ids = new Set(spans.map((s) => s.spanId));
      return spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
    };
    const wanted = (spans: ReceivedSpan[]) =>
      orphansOf(spans).length === 1 &&
      ['omurga-gateway', 'omurga-accounts', 'omurga-worker'].every((service) => spans.some((s) => s.service === service)) &&
      ['RunActivity:deliverEmail', 'RunWorkflow:sendEmailWorkflow'].every((name) => spans.some((s) => s.name === name));
    let spans: ReceivedSpan[] = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && !wanted(spans); await sleep(250)) {
      spans = (await (await fetch(`${stack.otlpUrl}/spans?traceId=${traceId}`)).json()) as ReceivedSpan[];
    }
    const names = spans.map((s) => `${s.service} ${s.name}`);
    expect(names).toEqual(expect.arrayContaining([
      expect.stringMatching(/^omurga-gateway POST \/graphql/),
      expect.stringMatching(/^omurga-accounts POST \/graphql/),
      expect.stringMatching(/^omurga-accounts mongoose \w+\.(save|insertMany|updateOne|findOne)$/),
      expect.stringMatching(/^omurga-accounts StartWorkflow:sendEmailWorkflow/),
      'omurga-worker RunWorkflow:sendEmailWorkflow',
      'omurga-worker RunActivity:deliverEmail',
    ]));
    // One tree: every span but the root has its parent in the same trace; the root is the
    // gateway's server span, a child of the caller's traceparent.
    expect(orphansOf(spans).map((s) => `${s.service} ${s.name}`)).toEqual([expect.stringMatching(/^omurga-gateway POST \/graphql/)]);
  });
});
