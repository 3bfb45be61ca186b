import { Client, Connection } from '@temporalio/client';
import type { PlatformConfig } from '../config.ts';
import { platformDataConverter } from './payload-codec.ts';
import { temporalConnectionOptions } from './temporal-connection.ts';
import { clientTracingInterceptors } from './worker-tracing.ts';

export async function connectTemporalClient(config: PlatformConfig): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: platformDataConverter(config), interceptors: clientTracingInterceptors() });
}
