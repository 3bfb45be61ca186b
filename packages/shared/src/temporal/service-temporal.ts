import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { PlatformConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { platformDataConverter } from './payload-codec.ts';
import { installTemporalRuntime } from './temporal-runtime.ts';
import { temporalConnectionOptions } from './temporal-connection.ts';
import { clientTracingInterceptors, workerTracing } from './worker-tracing.ts';
import { activityWorkerTuning } from './worker-tuning.ts';

export interface ServiceTemporal {
  client: Client;
  /** true while the activity worker polls */
  running(): boolean;
  close(): Promise<void>;
}

/**
 * A service's link to Temporal: a client to start and signal workflows, and a
 * worker that serves the service's activities on its own task queue, so
 * workflows change the service's data only through the service's code.
 */
export async function connectServiceTemporal(options: {
  service: string;
  taskQueue: string;
  /** the activities, or a factory given the client (for activities that start workflows themselves) */
  activities: object | ((client: Client) => object);
  config: PlatformConfig;
  logger: Logger;
}): Promise<ServiceTemporal> {
  const { config, logger } = options;
  installTemporalRuntime(config, logger);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const dataConverter = platformDataConverter(config);
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter, interceptors: clientTracingInterceptors() });
  const workerConnection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue,
    dataConverter,
    ...workerTracing(),
    ...activityWorkerTuning(),
    activities: typeof options.activities === 'function' ? options.activities(client) : options.activities,
  });
  const run = worker.run().catch((error: unknown) => logger.error({ err: error }, `${options.service} activity worker stopped`));
  return {
    client,
    running: () => worker.getState() === 'RUNNING',
    async close() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await run;
      await workerConnection.close();
      await connection.close();
    },
  };
}
