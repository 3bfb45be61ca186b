import { z } from 'zod';
import { withDeploymentSettings } from './deployment-config.ts';

export const SUBGRAPHS = ['accounts', 'billing', 'consent', 'support'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** Local runs and tests only; production sets TEMPORAL_PAYLOAD_KEYS (see workflows/src/payload-codec.ts). */
export const DEV_TEMPORAL_PAYLOAD_KEYS = `dev:${Buffer.from('omurga-local-temporal-payload-k!').toString('base64')}`;

// Every setting the platform reads from its environment, with the embedded
// local defaults. Production overrides them (MONGODB_URI, TEMPORAL_ADDRESS, ...).
const envSchema = z.object({
  OMURGA_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port(4000),
  ACCOUNTS_PORT: port(4001),
  BILLING_PORT: port(4002),
  CONSENT_PORT: port(4003),
  SUPPORT_PORT: port(4004),
  WORKER_HEALTH_PORT: port(4010),
  /** the Temporal UI's remote codec, served by the worker; 0 turns it off */
  TEMPORAL_CODEC_PORT: z.coerce.number().int().min(0).max(65535).default(4011),
  MONGODB_URI: z.string().min(1).default('mongodb://127.0.0.1:27017'),
  MONGODB_DB_PREFIX: z.string().default('omurga_'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_URL: z.string().default('http://127.0.0.1:8233'),
  TEMPORAL_PAYLOAD_KEYS: z.string().min(1).default(DEV_TEMPORAL_PAYLOAD_KEYS),
  SMTP_URL: z.string().default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('Omurga <no-reply@omurga.local>'),
  PUBLIC_APP_URL: z.string().default('http://127.0.0.1:4005'),
  JWKS_URL: z.string().optional(),
  JWT_ISSUER: z.string().default('omurga-accounts'),
  JWT_AUDIENCE: z.string().default('omurga'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
  BOOTSTRAP_OPERATOR_EMAIL: z.string().optional(),
  BOOTSTRAP_OPERATOR_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type PlatformConfig = ReturnType<typeof loadConfig>;

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const env = envSchema.parse(source);
  const http = (p: number) => `http://${env.OMURGA_HOST}:${p}`;
  const subgraphPorts: Record<SubgraphName, number> = {
    accounts: env.ACCOUNTS_PORT,
    billing: env.BILLING_PORT,
    consent: env.CONSENT_PORT,
    support: env.SUPPORT_PORT,
  };
  return withDeploymentSettings({
    host: env.OMURGA_HOST,
    gateway: { port: env.GATEWAY_PORT, url: `${http(env.GATEWAY_PORT)}/graphql` },
    subgraphs: Object.fromEntries(
      SUBGRAPHS.map((name) => [name, { port: subgraphPorts[name], url: `${http(subgraphPorts[name])}/graphql` }]),
    ) as Record<SubgraphName, { port: number; url: string }>,
    worker: { healthPort: env.WORKER_HEALTH_PORT, codecPort: env.TEMPORAL_CODEC_PORT },
    mongo: { uri: env.MONGODB_URI, dbPrefix: env.MONGODB_DB_PREFIX },
    temporal: { address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE, uiUrl: env.TEMPORAL_UI_URL, payloadKeys: env.TEMPORAL_PAYLOAD_KEYS },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    publicAppUrl: env.PUBLIC_APP_URL,
    auth: {
      jwksUrl: env.JWKS_URL ?? `${http(env.ACCOUNTS_PORT)}/.well-known/jwks.json`,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    },
    bootstrapOperator:
      env.BOOTSTRAP_OPERATOR_EMAIL && env.BOOTSTRAP_OPERATOR_PASSWORD
        ? { email: env.BOOTSTRAP_OPERATOR_EMAIL, password: env.BOOTSTRAP_OPERATOR_PASSWORD }
        : undefined,
    logLevel: env.LOG_LEVEL,
  }, source, env.JWKS_URL !== undefined);
}
