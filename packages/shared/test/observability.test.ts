// Issue 13: request ids in responses and every log line, one access log line
// per request, personal data redacted from logs, Prometheus metrics.
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions, observeHttp, requestIdFrom } from '../src/index.ts';

const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...chunk.toString().trim().split('\n').map((l: string) => JSON.parse(l)));
    done();
  },
});
const logger = pino(loggerOptions('probe', 'info'), sink);

let base = '';
let server: ReturnType<express.Express['listen']>;
beforeAll(async () => {
  const app = express();
  observeHttp(app, { service: 'probe', logger });
  app.get('/work', async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    logger.info({ input: { email: 'ayse@example.com', phone: '+905321112233', tckn: '10000000146' }, password: 'secret', ip: '203.0.113.9' }, 'working');
    res.json({ ok: true });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe('request observability', () => {
  it('keeps a caller X-Request-Id and puts it in the response and every log line of the request', async () => {
    const response = await fetch(`${base}/work`, { headers: { 'x-request-id': 'client-req-0001' } });
    expect(response.headers.get('x-request-id')).toBe('client-req-0001');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const mine = lines.filter((l) => l.requestId === 'client-req-0001');
    expect(mine.map((l) => l.msg)).toEqual(['working', 'request']);
    expect(mine[1]).toMatchObject({ method: 'GET', path: '/work', status: 200, service: 'probe' });
    expect(mine[1]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('redacts e-mail addresses, phones, TCKN, passwords and IPs in logged objects', () => {
    const line = lines.find((l) => l.msg === 'working')!;
    expect(line.input).toEqual({ email: '[Redacted]', phone: '[Redacted]', tckn: '[Redacted]' });
    expect(line.password).toBe('[Redacted]');
    expect(line.ip).toBe('[Redacted]');
    expect(JSON.stringify(lines)).not.toMatch(/ayse@example\.com|5321112233|10000000146|secret|203\.0\.113\.9/);
  });

  it('replaces a request id that is not a plain token', async () => {
    const response = await fetch(`${base}/work`, { headers: { 'x-request-id': 'bad id <script>' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom('x'.repeat(200))).not.toBe('x'.repeat(200));
  });

  it('counts requests per route and status on /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/omurga_http_request_duration_seconds_count\{service="probe",method="GET",route="other",status="200"\} [2-9]/);
    expect(text).toContain('omurga_process_cpu_seconds_total');
  });
});
