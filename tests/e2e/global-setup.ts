import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { fileOutput } from '../../scripts/stack/processes.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import { portBlock, startStack } from '../../scripts/stack/stack.ts';
import { E2E_OPERATOR, type StackInfo } from './stack-info.ts';

// The suite's own stack on its own ports and a fresh data directory, so it
// runs beside a developer's `./platform start` and never sees stale data.
// OMURGA_E2E_PORT_BASE moves it, so two suites can run side by side.
const ports = portBlock(Number(process.env.OMURGA_E2E_PORT_BASE ?? 24_000));

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omurga-e2e-'));
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const exits: string[] = [];
  // Every process exports its traces here (tests/e2e/observability.test.ts reads them back).
  const otlpPort = ports.gateway + 6;
  const otlp = await startOtlpReceiver('127.0.0.1', otlpPort);
  let stack;
  try {
    stack = await startStack({
      ports,
      dataDir,
      output: fileOutput(logDir),
      mongodbUri: process.env.MONGODB_URI,
      extraEnv: {
        BOOTSTRAP_OPERATOR_EMAIL: E2E_OPERATOR.email,
        BOOTSTRAP_OPERATOR_PASSWORD: E2E_OPERATOR.password,
        LOG_LEVEL: 'warn',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        // Webhook retries in seconds (1, 2, 2, 2: five attempts), not days.
        WEBHOOK_RETRY_INITIAL_SECONDS: '1',
        WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: '2',
        WEBHOOK_RETRY_SPAN_SECONDS: '6',
      },
      supervision: { onUnexpectedExit: ({ name, reason }) => exits.push(`${name} (${reason})`) },
    });
  } catch (error) {
    otlp.close();
    for (const name of ['postgres', 'ferretdb', 'temporal', 'mail', 'accounts', 'billing', 'consent', 'support', 'worker', 'gateway', 'web']) {
      const file = path.join(logDir, `${name}.log`);
      if (existsSync(file)) console.error(`--- ${name}.log\n${readFileSync(file, 'utf8').slice(-3000)}`);
    }
    throw error;
  }
  const info: StackInfo = {
    env: stack.env,
    gatewayUrl: stack.urls.gateway,
    webUrl: stack.urls.web,
    temporalUiUrl: stack.urls.temporalUi,
    mailCatcherUrl: stack.urls.mailCatcher,
    temporalAddress: stack.urls.temporal,
    subgraphUrls: Object.fromEntries(Object.entries(stack.config.subgraphs).map(([name, s]) => [name, s.url])),
    workerHealthUrl: `http://${stack.config.host}:${ports.workerHealth}`,
    codecUrl: `http://${stack.config.host}:${ports.temporalCodec}/codec`,
    pids: stack.processes.map((p) => p.pid).filter((pid): pid is number => pid !== undefined),
    logDir,
    otlpUrl: `http://127.0.0.1:${otlpPort}`,
    metricsUrls: stack.urls.metrics,
  };
  project.provide('stack', info);
  return async () => {
    await stack.stop();
    otlp.close();
    if (exits.length) console.error(`processes that exited (and were restarted) during the run: ${exits.join(', ')}; logs in ${logDir}`);
  };
}
