// Issue 13: the Helm chart lints, renders, and every rendered object is valid
// against the Kubernetes API schemas (kubernetes-models); the platform runs as
// non-root with per-service URLs, against bundled or external engines.
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { run, tool } from './tools.ts';

const CHART = 'deploy/helm/omurga';
const SECRETS: Record<string, string> = {
  temporalPayloadKeys: 'main:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  gatewaySharedSecret: 'g'.repeat(40),
  consentUnsubscribeSecret: 'u'.repeat(40),
  accountsSigningJwks: 'signing-keys',
};
const secretArgs = (secrets: Record<string, string>) => Object.entries(secrets).flatMap(([name, value]) => ['--set-string', `secrets.${name}=${value}`]);
const REQUIRED = secretArgs(SECRETS);

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: any;
  data?: Record<string, string>;
}

function render(...args: string[]): K8sObject[] {
  const result = run(tool('OMURGA_HELM_BIN'), ['template', 'omurga', CHART, ...REQUIRED, ...args]);
  if (!result.ok) throw new Error(result.stderr);
  return parseAllDocuments(result.stdout).map((d) => d.toJSON()).filter(Boolean) as K8sObject[];
}

const MODELS = { v1: core, 'apps/v1': apps, 'batch/v1': batch, 'policy/v1': policy } as unknown as Record<string, Record<string, new (o: object) => { validate(): void }>>;

async function validate(object: K8sObject): Promise<void> {
  const Model = MODELS[object.apiVersion]?.[object.kind];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

describe('deploy/helm/omurga', () => {
  it('passes helm lint', () => {
    const result = run(tool('OMURGA_HELM_BIN'), ['lint', CHART, ...REQUIRED]);
    expect(result.stderr + result.stdout).not.toMatch(/\[ERROR\]/);
    expect(result.ok).toBe(true);
  });

  it('renders objects that are all valid Kubernetes objects', async () => {
    const objects = render();
    expect(objects.length).toBeGreaterThan(20);
    for (const object of objects) await expect(validate(object), `${object.kind} ${object.metadata.name}`).resolves.toBeUndefined();
  });

  it('the schema check catches a malformed object', async () => {
    const [deployment] = render().filter((o) => o.kind === 'Deployment');
    deployment!.spec.replicas = 'two';
    await expect(validate(deployment!)).rejects.toThrow();
  });

  it('runs each platform process as non-root from the one image, with probes and metrics', () => {
    const platform = render().filter((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels['app.kubernetes.io/component'].match(/^(accounts|billing|consent|support|worker|gateway|web)$/));
    expect(platform.map((d) => d.metadata.name).sort()).toEqual(['accounts', 'billing', 'consent', 'gateway', 'support', 'web', 'worker'].map((n) => `omurga-omurga-${n}`));
    for (const deployment of platform) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      const [container] = pod.containers;
      expect(container.image).toBe('omurga:latest');
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      // The gateway serves partial answers while a subgraph is down: it stays ready on its own health.
      expect(container.readinessProbe.httpGet.path).toBe(deployment.metadata.name.endsWith('gateway') ? '/healthz' : '/readyz');
      expect(deployment.spec.template.metadata.annotations['prometheus.io/path']).toBe('/metrics');
      // Workflow code of two releases never runs side by side; the services' pods roll over.
      expect(deployment.spec.strategy?.type).toBe(deployment.metadata.name.endsWith('-worker') ? 'Recreate' : undefined);
    }
  });

  it('brings a MongoDB replica set, Temporal on PostgreSQL with its UI and an SMTP relay by default', () => {
    const objects = render();
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual(expect.arrayContaining([
      'StatefulSet/omurga-omurga-mongodb', 'Job/omurga-omurga-mongodb-init',
      'StatefulSet/omurga-omurga-postgresql', 'Deployment/omurga-omurga-temporal', 'Deployment/omurga-omurga-temporal-ui',
      'Job/omurga-omurga-temporal-search-attributes', 'Deployment/omurga-omurga-smtp',
    ]));
    const config = objects.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(config.MONGODB_URI).toBe('mongodb://omurga-omurga-mongodb-0.omurga-omurga-mongodb:27017,omurga-omurga-mongodb-1.omurga-omurga-mongodb:27017,omurga-omurga-mongodb-2.omurga-omurga-mongodb:27017/?replicaSet=rs0');
    expect(config.BILLING_URL).toBe('http://omurga-omurga-billing:4002/graphql');
    expect(config.JWKS_URL).toBe('http://omurga-omurga-accounts:4001/.well-known/jwks.json');
    // The web front forwards the public API to the gateway's service.
    expect(config.GATEWAY_URL).toBe('http://omurga-omurga-gateway:4000/graphql');
  });

  it('uses external engines and Temporal mTLS when told to', () => {
    const objects = render(
      '--set', 'mongodb.enabled=false', '--set', 'external.mongodbUri=mongodb+srv://db.example.com/',
      '--set', 'temporal.enabled=false', '--set', 'external.temporalAddress=ns.tmprl.cloud:7233',
      '--set', 'smtp.enabled=false', '--set', 'external.smtpUrl=smtps://relay.example.com:465',
      '--set', 'temporalTls.enabled=true', '--set', 'temporalTls.secretName=temporal-client',
    );
    expect(objects.some((o) => o.kind === 'StatefulSet')).toBe(false);
    const config = objects.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(config).toMatchObject({ MONGODB_URI: 'mongodb+srv://db.example.com/', TEMPORAL_ADDRESS: 'ns.tmprl.cloud:7233', TEMPORAL_TLS: 'true', TEMPORAL_TLS_CERT: '/etc/omurga/temporal-tls/tls.crt' });
  });

  it('refuses to render without each production secret', () => {
    for (const value of Object.keys(SECRETS)) {
      const result = run(tool('OMURGA_HELM_BIN'), ['template', 'omurga', CHART, ...secretArgs({ ...SECRETS, [value]: '' })]);
      expect(result.ok, value).toBe(false);
      expect(result.stderr).toContain(`secrets.${value} is required`);
    }
  });
});
