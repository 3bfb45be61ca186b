import type { Schema } from 'mongoose';

/** Thrown when code tries to change or remove an entry of an append-only ledger (CON-2, CON-3). */
export class AppendOnlyLedgerError extends Error {
  constructor(collection: string, operation: string) {
    super(`${collection} is append-only: ${operation} is not allowed`);
    this.name = 'AppendOnlyLedgerError';
  }
}

const QUERY_CHANGES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const;

/**
 * Refuses every mongoose path that changes or removes stored entries: query
 * updates and deletes, the document's own updateOne/deleteOne, save of a loaded
 * document, and bulkWrite operations other than inserts. (The raw driver
 * collection bypasses mongoose and is not used for ledgers.)
 */
export function rejectLedgerChanges(schema: Schema, collection: string) {
  for (const operation of QUERY_CHANGES) {
    schema.pre(operation, { document: false, query: true }, () => {
      throw new AppendOnlyLedgerError(collection, operation);
    });
  }
  for (const operation of ['updateOne', 'deleteOne'] as const) {
    schema.pre(operation, { document: true, query: false }, () => {
      throw new AppendOnlyLedgerError(collection, `document ${operation}`);
    });
  }
  schema.pre('save', function () {
    if (!this.isNew) throw new AppendOnlyLedgerError(collection, 'save of a stored entry');
  });
  schema.pre('bulkWrite', (ops: readonly object[]) => {
    const change = ops.find((op) => !('insertOne' in op));
    if (change) throw new AppendOnlyLedgerError(collection, `bulkWrite ${Object.keys(change)[0] ?? ''}`);
  });
}
