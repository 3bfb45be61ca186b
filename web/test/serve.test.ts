import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebServer } from '../server/serve.ts';

// The web server in front of the app (issue 14): static files with an SPA
// fallback, the API forwarded on the same origin, RFC 8058 one-click POSTs.
let web: http.Server;
let upstream: http.Server;
let base: string;
const seen: { url?: string; forwardedFor?: string; body?: string }[] = [];

const listen = (server: http.Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  const dist = mkdtempSync(path.join(tmpdir(), 'web-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ url: req.url, forwardedFor: req.headers['x-forwarded-for'] as string, body });
      if (body.includes('unsubscribe')) {
        const ok = body.includes('"good"');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { data: { unsubscribe: true } } : { errors: [{ message: 'invalid unsubscribe token' }] }));
      } else res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7');
    });
  });
  const gatewayPort = await listen(upstream);
  web = createWebServer({ gatewayOrigin: `http://127.0.0.1:${gatewayPort}`, distDir: dist, temporalUiUrl: 'http://127.0.0.1:8233/', temporalNamespace: 'default' });
  base = `http://127.0.0.1:${await listen(web)}`;
});

afterAll(async () => {
  await new Promise((resolve) => web.close(resolve));
  await new Promise((resolve) => upstream.close(resolve));
});

describe('web server', () => {
  it('serves the app for every page path, assets as files, and 404 for a missing asset', async () => {
    for (const page of ['/', '/verify-email?token=x', '/operator/breaches/abc', '/legal/123']) {
      const response = await fetch(`${base}${page}`);
      expect(response.status, page).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/..%2f..%2fetc%2fpasswd`)).status).not.toBe(500);
    expect(await (await fetch(`${base}/config.json`)).json()).toEqual({ temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' });
  });

  it('forwards the API and file routes to the gateway with the client address', async () => {
    const pdf = await fetch(`${base}/invoices/abc/pdf`);
    expect(await pdf.text()).toBe('%PDF-1.7');
    expect(seen.at(-1)).toMatchObject({ url: '/invoices/abc/pdf', forwardedFor: '127.0.0.1' });
    for (const path of ['/invoices/abc/ubl', '/credit-notes/abc/pdf', '/credit-notes/abc/ubl']) {
      await fetch(`${base}${path}`);
      expect(seen.at(-1)).toMatchObject({ url: path });
    }
    await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '6.6.6.6' }, body: '{"query":"{ me { id } }"}' });
    expect(seen.at(-1)).toMatchObject({ url: '/graphql', forwardedFor: '127.0.0.1', body: '{"query":"{ me { id } }"}' });
    expect((await fetch(`${base}/anything`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers the one-click unsubscribe POST through the public mutation', async () => {
    expect((await fetch(`${base}/unsubscribe?token=good`, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    expect(JSON.parse(seen.at(-1)!.body!).variables).toEqual({ token: 'good' });
    expect((await fetch(`${base}/unsubscribe?token=bad`, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(400);
    expect((await fetch(`${base}/unsubscribe`, { method: 'POST' })).status).toBe(400);
  });
});
