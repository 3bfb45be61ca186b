// A billing activity worker in its own process, so that a test can SIGKILL it
// in the middle of a card charge (tests/e2e/billing-crash.test.ts, BIL-5).
// It runs billing's real activities against the database the test names,
// with the sandbox provider, and prints "ready" once it polls the billing
// task queue. Configuration, all from the environment:
//   CRASH_TEMPORAL_ADDRESS, CRASH_TEMPORAL_NAMESPACE  the test server
//   MONGODB_URI, CRASH_DB_NAME                         the throw-away database
//   PAYMENT_SANDBOX_DELAY_MS                           the sandbox's delayMs (0 = answer at once)
//   PAYMENT_PROVIDER_TIMEOUT_MS                        billing's providerTimeoutMs
//   SMTP_URL                                           where billing's e-mails go (the stack's mail catcher)
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import mongoose from 'mongoose';
import { createLogger, createMailer, loadConfig } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { billingActivities } from '../../services/billing/src/activities.ts';
import { sandboxExchangeRates } from '../../services/billing/src/invoices/exchange-rates.ts';
import { createBillingOutbox } from '../../services/billing/src/emails.ts';
import { billingModels } from '../../services/billing/src/models/index.ts';
import { createSandboxProvider } from '../../services/billing/src/payments/sandbox.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`billing-charge-worker: ${name} is not set`);
  return value;
}

function milliseconds(name: string): number {
  const value = Number(required(name));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`billing-charge-worker: ${name} must be a whole number of milliseconds`);
  return value;
}

const address = required('CRASH_TEMPORAL_ADDRESS');
const namespace = process.env.CRASH_TEMPORAL_NAMESPACE || 'default';
const delayMs = milliseconds('PAYMENT_SANDBOX_DELAY_MS');
const providerTimeoutMs = milliseconds('PAYMENT_PROVIDER_TIMEOUT_MS');

// Expected failures (the busy attempt a retry finds) and the SDK core's warnings
// about the test server would otherwise flood the test's output.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });

const db = await mongoose.createConnection(required('MONGODB_URI'), { dbName: required('CRASH_DB_NAME') }).asPromise();
const models = billingModels(db);
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address }),
  namespace,
  taskQueue: TASK_QUEUES.billing,
  activities: billingActivities({
    models,
    provider: createSandboxProvider(db, { delayMs }),
    providerTimeoutMs,
    outbox: createBillingOutbox({ models, mailer: createMailer(loadConfig({ SMTP_URL: required('SMTP_URL') })), logger: createLogger('billing-charge-worker', 'silent') }),
    invoicePrefix: 'CRS',
    commissionRateBasisPoints: 1000,
    exchangeRates: sandboxExchangeRates({ USD: '41.2500' }),
  }),
});
process.stdout.write('ready\n');
// Runs until the test kills this process (the worker also stops on SIGINT / SIGTERM).
await worker.run();
await db.close();
