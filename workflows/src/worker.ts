import http from 'node:http';
import { NativeConnection, Worker } from '@temporalio/worker';
import { METRICS_CONTENT_TYPE, activeTracing, createLogger, createMailer, exitOnSignals, loadConfig, metricsText, refuseDevelopmentSecrets, startTracing } from '@omurga/shared';
import { mailActivities } from './activities/mail.ts';
import { codecServer } from './codec-endpoint.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { installTemporalRuntime, platformDataConverter, temporalConnectionOptions, workerTracing, workflowWorkerTuning } from '@omurga/shared/temporal';
import { workflowSource } from './workflow-bundle.ts';

refuseDevelopmentSecrets('worker');
startTracing('worker');
const config = loadConfig();
const logger = createLogger('worker', config.logLevel);
// The Temporal SDK's own metrics (workflow and activity task latencies, polls, ...), forwarded on /metrics.
const sdkMetrics = config.worker.temporalMetricsPort > 0 ? `${config.host}:${config.worker.temporalMetricsPort}` : undefined;
installTemporalRuntime(config, logger, sdkMetrics);

async function sdkMetricsText(): Promise<string> {
  if (!sdkMetrics) return '';
  const response = await fetch(`http://${sdkMetrics}/metrics`, { signal: AbortSignal.timeout(2_000) });
  return response.ok ? response.text() : '';
}

try {
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const mailer = createMailer(config);
  const dataConverter = platformDataConverter(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES.workflows,
    dataConverter,
    ...(await workflowSource({ traced: activeTracing() !== undefined })),
    ...workerTracing(),
    ...workflowWorkerTuning(),
    activities: { ...mailActivities(mailer) },
  });

  // Liveness, readiness and metrics for the supervisor, orchestrators and Prometheus.
  const health = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      metricsText(sdkMetricsText).then(
        (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    const state = worker.getState();
    const ok = req.url === '/healthz' || (req.url === '/readyz' && state === 'RUNNING');
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ service: 'worker', state }));
  });
  health.listen(config.worker.healthPort, config.host);
  // The Temporal UI's remote codec, on a port of its own so that it can be kept off the network the probes use.
  const codec = config.worker.codecPort > 0 ? codecServer(dataConverter.payloadCodecs![0]!, new URL(config.temporal.uiUrl).origin) : null;
  codec?.listen(config.worker.codecPort, config.host);

  exitOnSignals(logger, async () => {
    worker.shutdown();
  });
  logger.info({ taskQueue: TASK_QUEUES.workflows }, 'worker polling');
  await worker.run();
  health.close();
  codec?.close();
  mailer.close();
  await connection.close();
  process.exit(0);
} catch (error) {
  logger.fatal({ err: error }, 'worker failed');
  process.exit(1);
}
