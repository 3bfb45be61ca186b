// Issue 13: deploy/compose.yaml loads as Docker Compose loads it (the
// compose-spec schema and interpolation, by compose-go) and wires the
// platform to a MongoDB replica set, Temporal on PostgreSQL, its UI and an
// SMTP relay, each service at its own URL.
import { describe, expect, it } from 'vitest';
import { run, tool } from './tools.ts';

const FILE = 'deploy/compose.yaml';
const PLATFORM = ['accounts', 'billing', 'consent', 'support', 'worker', 'gateway', 'web'];

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

const SECRETS = {
  TEMPORAL_PAYLOAD_KEYS: 'main:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  GATEWAY_SHARED_SECRET: 'g'.repeat(40),
  CONSENT_UNSUBSCRIBE_SECRET: 'u'.repeat(40),
  ACCOUNTS_SIGNING_JWKS: '{"keys":[]}',
};

function load(env: NodeJS.ProcessEnv = SECRETS) {
  return run(tool('OMURGA_COMPOSE_CHECK_BIN'), [FILE], env);
}

describe('deploy/compose.yaml', () => {
  it('is a valid compose file', () => {
    const result = load();
    expect(result.stderr).toBe('');
    expect(result.ok).toBe(true);
  });

  it('refuses to start without each production secret', () => {
    for (const name of Object.keys(SECRETS)) {
      const result = load({ ...SECRETS, [name]: '' });
      expect(result.ok, name).toBe(false);
      expect(result.stderr).toContain(name);
    }
  });

  it('runs every platform process from the one image against the real engines', () => {
    const services = (JSON.parse(load().stdout) as { services: Record<string, Service> }).services;
    expect(Object.keys(services).sort()).toEqual([...PLATFORM, 'mongo', 'postgres', 'smtp', 'temporal', 'temporal-setup', 'temporal-ui'].sort());
    for (const name of PLATFORM) {
      const service = services[name]!;
      expect(service.image, name).toBe('omurga:latest');
      expect(service.command?.[0], name).toBe('node');
      const env = service.environment!;
      expect(env.MONGODB_URI, name).toContain('replicaSet=rs0');
      expect(env.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
      expect(env.SMTP_URL, name).toBe('smtp://smtp:587');
      expect(env.NODE_ENV, name).toBe('production');
      expect(env.GATEWAY_SHARED_SECRET, name).toBe(SECRETS.GATEWAY_SHARED_SECRET);
      for (const subgraph of ['accounts', 'billing', 'consent', 'support']) {
        expect(env[`${subgraph.toUpperCase()}_URL`], name).toMatch(new RegExp(`^http://${subgraph}:\\d+/graphql$`));
      }
      expect(service.depends_on?.['temporal-setup']?.condition).toBe('service_completed_successfully');
      expect(service.depends_on?.mongo?.condition).toBe('service_healthy');
    }
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(Object.keys(services.gateway!.depends_on ?? {})).toEqual(expect.arrayContaining(['accounts', 'billing', 'consent', 'support']));
  });
});
