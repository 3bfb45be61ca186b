// Issue 13: the platform on a real Temporal cluster configuration: the
// Temporal server in its non-dev mode (built from go.temporal.io/server) on
// PostgreSQL (Debian's), with the production worker running the prebuilt
// workflow bundle; an e-mail workflow goes through it into the mail catcher.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@omurga/shared';
import { connectTemporalClient, emailWorkflowId, startEmailWorkflow } from '@omurga/shared/temporal';
import { ManagedProcess, fileOutput, httpReady } from '../../scripts/stack/processes.ts';
import { waitForEmail } from '../support/mail-catcher.ts';
import { startTemporalOnPostgres, type TemporalCluster } from '../support/temporal-postgres.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const stack = inject('stack');
// Ports of their own beside the suite's stack and the self-healing test's.
const BASE = Number(process.env.OMURGA_E2E_PORT_BASE ?? 24_000) + 200;

let cluster: TemporalCluster;
let worker: ManagedProcess;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'omurga-bundle-'));
  const bundle = path.join(scratch, 'workflow-bundle.js');
  // What the production image does at build time (pnpm build:workflows).
  execFileSync(process.execPath, ['workflows/src/build-workflow-bundle.ts', bundle], { cwd: ROOT, stdio: 'pipe' });
  cluster = await startTemporalOnPostgres(BASE);
  worker = new ManagedProcess({
    name: 'worker',
    command: process.execPath,
    args: ['workflows/src/worker.ts'],
    cwd: ROOT,
    env: {
      ...stack.env,
      TEMPORAL_ADDRESS: cluster.address,
      WORKFLOW_BUNDLE_PATH: bundle,
      WORKER_HEALTH_PORT: String(BASE + 10),
      TEMPORAL_CODEC_PORT: '0',
      TEMPORAL_METRICS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      // Workflow logs below WARN reach the worker's log (they used to be dropped).
      LOG_LEVEL: 'debug',
    },
    ready: httpReady(`http://127.0.0.1:${BASE + 10}/readyz`),
  });
  worker.start(fileOutput(scratch), { onUnexpectedExit: () => undefined });
  await worker.waitUntilReady();
}, 240_000);

afterAll(async () => {
  await worker?.stop();
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('Temporal server on PostgreSQL (non-dev)', () => {
  it('runs an e-mail workflow through the real worker from the prebuilt bundle, with its history in PostgreSQL and its debug logs in the worker log', async () => {
    const config = loadConfig({ ...stack.env, TEMPORAL_ADDRESS: cluster.address });
    const client = await connectTemporalClient(config);
    try {
      const to = `pg-${Date.now()}@example.com`;
      const key = `temporal-postgres/${to}`;
      expect(await startEmailWorkflow(client, key, { to, subject: 'Temporal on PostgreSQL', text: 'Sent through a non-dev Temporal cluster.' })).toBe('STARTED');
      await client.workflow.getHandle(emailWorkflowId(key)).result();
      const mail = await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((t) => t.address === to));
      expect(mail.subject).toBe('Temporal on PostgreSQL');
      expect(Number(cluster.sql(`SELECT count(*) FROM executions WHERE workflow_id = '${emailWorkflowId(key)}'`))).toBe(1);
      const workflowLines = readFileSync(path.join(scratch, 'worker.log'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes(emailWorkflowId(key)))
        .map((line) => JSON.parse(line) as { level: number; msg: string; service: string });
      expect(workflowLines).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'Workflow started', level: 20, service: 'worker' })]));
    } finally {
      await client.connection.close();
    }
  });
});
