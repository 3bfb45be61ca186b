import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createLogger, createMailer, exitOnSignals, loadConfig, refuseDevelopmentSecrets } from '@omurga/shared';
import { mailActivities } from './activities/mail.ts';
import { codecServer } from './codec-endpoint.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { platformDataConverter } from '@omurga/shared/temporal';

refuseDevelopmentSecrets('worker');
const config = loadConfig();
const logger = createLogger('worker', config.logLevel);
Runtime.install({ logger: new DefaultLogger('WARN') });

try {
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const mailer = createMailer(config);
  const dataConverter = platformDataConverter(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES.workflows,
    dataConverter,
    workflowsPath: fileURLToPath(new URL('./workflows/index.ts', import.meta.url)),
    activities: { ...mailActivities(mailer) },
  });

  // Liveness and readiness for the supervisor and orchestrators.
  const health = http.createServer((req, res) => {
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
