import { Client, Connection } from '@temporalio/client';
import type { PlatformConfig } from '../config.ts';
import { platformDataConverter } from './payload-codec.ts';

export async function connectTemporalClient(config: PlatformConfig): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: platformDataConverter(config) });
}
