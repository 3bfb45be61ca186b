import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { Schema } from 'mongoose';
import { platformTracer } from './tracing.ts';

const QUERY_OPERATIONS = [
  'countDocuments', 'deleteMany', 'deleteOne', 'distinct', 'estimatedDocumentCount', 'find', 'findOne',
  'findOneAndDelete', 'findOneAndReplace', 'findOneAndUpdate', 'replaceOne', 'updateMany', 'updateOne',
] as const;

const SPAN = Symbol('omurga.span');
type Traced = { [SPAN]?: Span };

function start(target: Traced, collection: string | undefined, operation: string) {
  if (!collection) return; // a subdocument's hooks: its parent's call has the span
  target[SPAN] = platformTracer().startSpan(`mongoose ${collection}.${operation}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system': 'mongodb', 'db.collection.name': collection, 'db.operation.name': operation },
  });
}

function end(target: Traced, error?: unknown) {
  const span = target[SPAN];
  if (!span) return;
  if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
  span.end();
  delete target[SPAN];
}

/**
 * A span per database call (queries, saves, aggregations, bulk inserts), a
 * child of whatever request or activity made it. Registered on a service's
 * connection when tracing is on (db.ts).
 */
export function traceDatabaseCalls(schema: Schema): void {
  // mongoose's hook typings differ per operation kind; each hook below names what `this` is.
  const hooks = schema as unknown as {
    pre(ops: string | string[], fn: (this: any) => void): void;
    post(ops: string | string[], fn: (this: any, ...args: any[]) => void): void;
  };
  const queries = [...QUERY_OPERATIONS];
  hooks.pre(queries, function (this: { model?: { collection?: { collectionName: string } }; op?: string } & Traced) {
    start(this, this.model?.collection?.collectionName, this.op ?? 'query');
  });
  hooks.post(queries, function (this: Traced) {
    end(this);
  });
  // An error handler (mongoose tells it apart by its three parameters).
  hooks.post(queries, function (this: Traced, error: unknown, _result: unknown, next: (error?: unknown) => void) {
    end(this, error);
    next(error);
  });
  hooks.pre('save', function (this: { collection?: { collectionName: string } } & Traced) {
    start(this, this.collection?.collectionName, 'save');
  });
  hooks.pre('aggregate', function (this: { model(): { collection?: { collectionName: string } } | undefined } & Traced) {
    start(this, this.model()?.collection?.collectionName, 'aggregate');
  });
  hooks.pre('insertMany', function (this: { collection?: { collectionName: string } } & Traced) {
    start(this, this.collection?.collectionName, 'insertMany');
  });
  hooks.post(['save', 'aggregate', 'insertMany'], function (this: Traced) {
    end(this);
  });
}
