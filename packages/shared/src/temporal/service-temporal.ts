import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { PlatformConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { platformDataConverter } from './payload-codec.ts';

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
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed (tests start several services in one process)
  }
  const connection = await Connection.connect({ address: config.temporal.address });
  const dataConverter = platformDataConverter(config);
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter });
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue,
    dataConverter,
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
