// Issue 13: a deployment names each service's URL on its own, and reaches
// Temporal over TLS, mTLS or with a Temporal Cloud API key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.ts';

describe('deployment settings', () => {
  it('derives every URL from OMURGA_HOST locally', () => {
    const config = loadConfig({ OMURGA_HOST: '127.0.0.1' });
    expect(config.subgraphs.billing.url).toBe('http://127.0.0.1:4002/graphql');
    expect(config.auth.jwksUrl).toBe('http://127.0.0.1:4001/.well-known/jwks.json');
    expect(config.temporal.tls).toBeUndefined();
    expect(config.worker.temporalMetricsPort).toBe(4012);
  });

  it('takes each subgraph URL on its own, and the JWKS beside accounts unless given', () => {
    const config = loadConfig({ OMURGA_HOST: '0.0.0.0', ACCOUNTS_URL: 'http://accounts.internal:4001/graphql', SUPPORT_URL: 'http://support.internal/graphql' });
    expect(config.subgraphs.accounts.url).toBe('http://accounts.internal:4001/graphql');
    expect(config.subgraphs.support.url).toBe('http://support.internal/graphql');
    expect(config.subgraphs.billing.url).toBe('http://0.0.0.0:4002/graphql');
    expect(config.subgraphs.accounts.port).toBe(4001); // where it listens is still its port
    expect(config.auth.jwksUrl).toBe('http://accounts.internal:4001/.well-known/jwks.json');
    expect(loadConfig({ ACCOUNTS_URL: 'http://a/graphql', JWKS_URL: 'https://keys.example.com/jwks.json' }).auth.jwksUrl).toBe('https://keys.example.com/jwks.json');
  });

  it('refuses a URL that is not one', () => {
    expect(() => loadConfig({ BILLING_URL: 'billing:4002' })).toThrow();
  });

  it('reads the mTLS pair, the server CA and the server name for Temporal', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'omurga-tls-'));
    for (const name of ['client.crt', 'client.key', 'ca.crt']) writeFileSync(path.join(dir, name), `-----BEGIN ${name}-----`);
    const config = loadConfig({
      TEMPORAL_TLS_CERT: path.join(dir, 'client.crt'),
      TEMPORAL_TLS_KEY: path.join(dir, 'client.key'),
      TEMPORAL_TLS_CA: path.join(dir, 'ca.crt'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(config.temporal.tls?.clientCertPair?.crt.toString()).toBe('-----BEGIN client.crt-----');
    expect(config.temporal.tls?.clientCertPair?.key.toString()).toBe('-----BEGIN client.key-----');
    expect(config.temporal.tls?.serverRootCACertificate?.toString()).toBe('-----BEGIN ca.crt-----');
    expect(config.temporal.tls?.serverNameOverride).toBe('temporal.internal');
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: path.join(dir, 'client.crt') })).toThrow(/TEMPORAL_TLS_KEY/);
  });

  it('turns TLS on for a Temporal Cloud API key', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-123' });
    expect(config.temporal).toMatchObject({ apiKey: 'key-123', tls: {} });
    expect(loadConfig({ TEMPORAL_TLS: 'true' }).temporal.tls).toEqual({});
  });
});
