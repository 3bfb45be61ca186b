import type { Connection } from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase, loadConfig } from '@omurga/shared';

/**
 * A throw-away database on the e2e stack's database server, connected before
 * the file's tests and dropped after them. Call at the top of a test file;
 * the returned function gives the connection.
 */
export function useScratchDatabase(name: string): () => Connection {
  const stack = inject('stack');
  let db: Connection | undefined;
  beforeAll(async () => {
    db = await connectDatabase(loadConfig({ ...process.env, ...stack.env }), name);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });
  return () => {
    if (!db) throw new Error('the scratch database is connected in beforeAll');
    return db;
  };
}
