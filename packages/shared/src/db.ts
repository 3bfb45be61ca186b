import mongoose, { type Connection } from 'mongoose';
import type { PlatformConfig } from './config.ts';
import { isProduction } from './edge/production.ts';
import { traceDatabaseCalls } from './observability/mongoose-tracing.ts';
import { activeTracing } from './observability/tracing.ts';
import { databaseCommands } from './observability/metrics.ts';

/**
 * Opens the service's own database. Storage code must work on both MongoDB
 * (production replica set) and FerretDB (local runs and CI): single-document
 * atomic updates, unique indexes and optimistic versioning only; no
 * multi-document transactions, TTL indexes, change streams or $lookup.
 */
export async function connectDatabase(config: PlatformConfig, service: string): Promise<Connection> {
  const counting = process.env.OMURGA_COUNT_DB_COMMANDS === '1';
  const connection = mongoose.createConnection(config.mongo.uri, {
    dbName: `${config.mongo.dbPrefix}${service}`,
    serverSelectionTimeoutMS: 10_000,
    // Production builds indexes once, on purpose (`pnpm db:sync-indexes`), not at every start.
    autoIndex: !isProduction(),
    monitorCommands: counting,
  });
  if (activeTracing()) connection.plugin(traceDatabaseCalls);
  await connection.asPromise();
  if (counting) countDatabaseCommands(connection, service);
  return connection;
}

/** Commands that keep the connection alive rather than serve a request. */
const UPKEEP_COMMANDS = new Set(['ping', 'hello', 'ismaster', 'isMaster', 'endSessions', 'buildInfo']);

/** The benchmark's count of database commands per request served (issue 16: entityQueriesPer100). */
function countDatabaseCommands(connection: Connection, service: string) {
  connection.getClient().on('commandStarted', (event: { commandName: string; command: Record<string, unknown> }) => {
    if (UPKEEP_COMMANDS.has(event.commandName)) return;
    // CRUD commands name their collection as the command's value (`{ find: 'invoices', … }`).
    const target = event.command[event.commandName];
    databaseCommands.inc({ service, command: event.commandName, collection: typeof target === 'string' ? target : '' });
  });
}

export async function pingDatabase(connection: Connection): Promise<void> {
  if (!connection.db) throw new Error('database not connected');
  await connection.db.command({ ping: 1 });
}

/** A stored binary field as a Buffer: a lean read gives the driver's Binary, not a Buffer. */
export function storedBytes(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data && typeof data === 'object' && 'buffer' in data && (data as { buffer: unknown }).buffer instanceof Uint8Array) {
    const bytes = (data as { buffer: Uint8Array }).buffer;
    const length = (data as { position?: number }).position ?? bytes.length;
    return Buffer.from(bytes.buffer, bytes.byteOffset, length);
  }
  throw new TypeError('stored value is not binary');
}

/** True for MongoDB's (and FerretDB's) duplicate-key error: a unique index refused the write. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === 11000;
}
