// Issue 13 (edge): NODE_ENV=production refuses development secrets at start,
// and a production gateway keeps its schema to itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SUBGRAPHS, connectDatabase, loadConfig } from '@omurga/shared';

const stack = inject('stack');
const ROOT = path.resolve(import.meta.dirname, '../..');
const SECRET_NAMES = ['GATEWAY_SHARED_SECRET', 'TEMPORAL_PAYLOAD_KEYS', 'CONSENT_UNSUBSCRIBE_SECRET', 'ACCOUNTS_SIGNING_JWKS', 'ACCOUNTS_SIGNING_JWK', 'BOOTSTRAP_OPERATOR_PASSWORD'];

/** The e2e stack's environment without any secret, as a production process that forgot them would see it. */
function productionEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...stack.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...extra };
  for (const name of SECRET_NAMES) if (!(name in extra)) delete env[name];
  return env;
}

function runToExit(entry: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, entry)], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not exit: it started on development secrets`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('production refuses development secrets at start (issue 13)', () => {
  it.each([
    ['gateway/src/main.ts', {}, ['GATEWAY_SHARED_SECRET']],
    ['services/accounts/src/main.ts', { BOOTSTRAP_OPERATOR_PASSWORD: 'Omurga-Local-Operator-1' }, ['GATEWAY_SHARED_SECRET', 'TEMPORAL_PAYLOAD_KEYS', 'ACCOUNTS_SIGNING_JWKS', 'BOOTSTRAP_OPERATOR_PASSWORD']],
    ['services/consent/src/main.ts', { CONSENT_UNSUBSCRIBE_SECRET: 'omurga-dev-unsubscribe-secret-change-me' }, ['GATEWAY_SHARED_SECRET', 'TEMPORAL_PAYLOAD_KEYS', 'CONSENT_UNSUBSCRIBE_SECRET']],
    ['services/billing/src/main.ts', { GATEWAY_SHARED_SECRET: 'omurga-local-gateway-shared-secret' }, ['GATEWAY_SHARED_SECRET', 'TEMPORAL_PAYLOAD_KEYS']],
    ['workflows/src/worker.ts', {}, ['TEMPORAL_PAYLOAD_KEYS']],
  ] as const)('%s exits with 78 and names what to set', async (entry, extra, expected) => {
    const { code, stderr } = await runToExit(entry, productionEnv({ ...extra }));
    expect(code).toBe(78);
    expect(stderr).toMatch(/refusing to start with NODE_ENV=production/);
    for (const name of expected) expect(stderr).toContain(`${name}:`);
    expect(stderr).not.toMatch(/\/work\/|node_modules|\.ts:\d+/);
  });
});

describe('a production gateway (issue 13)', () => {
  const port = Number(new URL(stack.gatewayUrl).port) + 18;
  const url = `http://127.0.0.1:${port}/graphql`;
  let gateway: ChildProcess | undefined;
  afterAll(() => {
    gateway?.kill('SIGTERM');
  });

  it('starts with real secrets, and closes introspection and field suggestions', async () => {
    gateway = spawn(process.execPath, [path.join(ROOT, 'gateway/src/main.ts')], {
      cwd: ROOT,
      env: productionEnv({ GATEWAY_PORT: String(port), GATEWAY_SHARED_SECRET: randomBytes(32).toString('base64') }),
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (await fetch(url.replace('/graphql', '/healthz')).then((r) => r.ok, () => false)) break;
      await sleep(200);
    }
    const post = (query: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

    const introspection = await post('{ __schema { types { name } } }');
    expect(introspection.status).toBe(400);
    const closed = (await introspection.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(closed.data).toBeUndefined();
    expect(closed.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typeQuery = (await (await post('{ __type(name: "User") { fields { name } } }')).json()) as { data?: unknown };
    expect(typeQuery.data).toBeUndefined();

    const typo = (await (await post('{ plan { code } }')).json()) as { errors: { message: string }[] };
    expect(typo.errors[0]!.message).not.toMatch(/did you mean/i);

    // The development stack, for contrast, still answers both.
    const dev = (await (await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ plan { code } }' }) })).json()) as {
      errors: { message: string }[];
    };
    expect(dev.errors[0]!.message).toMatch(/did you mean/i);
  });
});

describe('pnpm db:sync-indexes (issue 13)', () => {
  it('builds the indexes that production (autoIndex off) does not build at start, and drops nothing', async () => {
    const prefix = `sync_${Math.random().toString(36).slice(2, 8)}_`;
    const env = { ...process.env, ...stack.env, MONGODB_DB_PREFIX: prefix, NODE_ENV: 'production' };
    try {
      const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/sync-indexes.ts')], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/accounts\.users: indexes in place/);
      expect(run.stdout).toMatch(/billing\.invoices: indexes in place/);
      const accounts = await connectDatabase(loadConfig(env), 'accounts');
      const indexes = await accounts.collection('users').indexes();
      await accounts.close();
      expect(indexes.some((index) => index.unique && Object.keys(index.key).includes('email'))).toBe(true);
    } finally {
      for (const name of SUBGRAPHS) {
        const db = await connectDatabase(loadConfig(env), name);
        await db.dropDatabase();
        await db.close();
      }
    }
  });
});
