import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Logger, PlatformConfig } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/workflows';
import { accountsActivities } from './activities.ts';
import type { AccountsModels } from './models.ts';

export interface AccountsTemporal {
  client: Client;
  /** true while the activity worker polls */
  running(): boolean;
  close(): Promise<void>;
}

/**
 * accounts' link to Temporal: a client to start workflows (e-mail, document
 * deadlines, resource holds) and a worker that serves accounts' activities on
 * its own task queue, so workflows change accounts data only through this code.
 */
export async function connectAccountsTemporal(models: AccountsModels, config: PlatformConfig, logger: Logger): Promise<AccountsTemporal> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed (tests start several services in one process)
  }
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES.accounts,
    activities: accountsActivities(models),
  });
  const run = worker.run().catch((error: unknown) => logger.error({ err: error }, 'accounts activity worker stopped'));
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
