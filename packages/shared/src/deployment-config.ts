import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SUBGRAPHS, type SubgraphName } from './config.ts';

const url = z.string().regex(/^https?:\/\/[^\s/]+/, 'an http(s) URL').optional();
const flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1');

// Settings a real deployment needs beyond the local defaults: each service at
// its own address (containers, Kubernetes services) and a Temporal cluster or
// Temporal Cloud reached over TLS, mTLS or with an API key.
const deploymentSchema = z.object({
  /** where the web front's server forwards the public API (the gateway's /graphql) */
  GATEWAY_URL: url,
  ACCOUNTS_URL: url,
  BILLING_URL: url,
  CONSENT_URL: url,
  SUPPORT_URL: url,
  /** Prometheus endpoint of the worker's Temporal SDK metrics (forwarded on the worker's /metrics); 0 turns it off */
  TEMPORAL_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(4012),
  TEMPORAL_TLS: flag,
  /** PEM files: the client certificate and key (mTLS), the CA that signed the server's certificate */
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  /** Temporal Cloud API key (implies TLS) */
  TEMPORAL_API_KEY: z.string().optional(),
});

export interface TemporalTls {
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverRootCACertificate?: Buffer;
  serverNameOverride?: string;
}

const subgraphUrlVariable: Record<SubgraphName, 'ACCOUNTS_URL' | 'BILLING_URL' | 'CONSENT_URL' | 'SUPPORT_URL'> = {
  accounts: 'ACCOUNTS_URL',
  billing: 'BILLING_URL',
  consent: 'CONSENT_URL',
  support: 'SUPPORT_URL',
};

interface BaseConfig {
  gateway: { port: number; url: string };
  subgraphs: Record<SubgraphName, { port: number; url: string }>;
  auth: { jwksUrl: string };
  temporal: object;
  worker: object;
}

/**
 * Applies the deployment settings over the locally derived ones: a subgraph
 * or gateway URL given on its own wins over OMURGA_HOST:port (JWKS_URL likewise), and
 * Temporal gets its TLS material and API key.
 */
export function withDeploymentSettings<C extends BaseConfig>(config: C, source: NodeJS.ProcessEnv, jwksUrlGiven: boolean) {
  const env = deploymentSchema.parse(source);
  const subgraphs = Object.fromEntries(
    SUBGRAPHS.map((name) => [name, { ...config.subgraphs[name], url: env[subgraphUrlVariable[name]] ?? config.subgraphs[name].url }]),
  ) as C['subgraphs'];
  const read = (file: string | undefined) => (file ? readFileSync(file) : undefined);
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mTLS client certificate and key)');
  const tlsWanted = env.TEMPORAL_TLS || Boolean(env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_CA);
  const tls: TemporalTls | undefined = tlsWanted
    ? {
        ...(env.TEMPORAL_TLS_CERT ? { clientCertPair: { crt: read(env.TEMPORAL_TLS_CERT)!, key: read(env.TEMPORAL_TLS_KEY)! } } : {}),
        ...(env.TEMPORAL_TLS_CA ? { serverRootCACertificate: read(env.TEMPORAL_TLS_CA)! } : {}),
        ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
      }
    : undefined;
  // Without its own JWKS_URL, the key set is wherever accounts is.
  const jwksUrl = jwksUrlGiven || !env.ACCOUNTS_URL ? config.auth.jwksUrl : new URL('/.well-known/jwks.json', env.ACCOUNTS_URL).href;
  return {
    ...config,
    gateway: { ...config.gateway, url: env.GATEWAY_URL ?? config.gateway.url },
    subgraphs,
    auth: { ...config.auth, jwksUrl },
    temporal: { ...config.temporal, tls, apiKey: env.TEMPORAL_API_KEY },
    worker: { ...config.worker, temporalMetricsPort: env.TEMPORAL_METRICS_PORT },
  };
}
