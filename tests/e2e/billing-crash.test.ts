// Issue 4 (billing), BIL-5: a billing worker killed in the middle of a card
// charge, after the provider charged but before the worker heard back. The
// activity is retried by another worker process with the same idempotency
// key, finds the first charge at the provider, and records it: exactly one
// successful charge for the invoice.
//
// The subscription workflow runs on Temporal's time-skipping server (time is
// never skipped here, so the activity's 30 s start-to-close timeout passes in
// real time), with the workflow and a fake accounts worker in this process and
// billing's real activities in a child process (tests/support/billing-charge-worker.ts)
// against the e2e stack's database and the sandbox provider.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import mongoose, { type Connection } from 'mongoose';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createMailer, loadConfig } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { subscriptionWorkflowId } from '../../services/billing/src/workflows/contracts.ts';
import { WORKFLOW_BUNDLE_ENTRY, WORKFLOW_BUNDLER_OPTIONS, createTimeSkippingEnvironment } from '@omurga/workflows/testing';
import { mailActivities } from '../../workflows/src/activities/mail.ts';
import { fakeAccountsActivities } from '../../services/accounts/test/workflows/accounts-workers.ts';
import { billingModels, type BillingModels, type InvoiceDoc, type PlanDoc, type PolicyDoc, type SubscriptionDoc } from '../../services/billing/src/models/index.ts';
import { openSubscription } from '../../services/billing/src/open-subscription.ts';
import { chargeIdempotencyKey } from '../../services/billing/src/payments/provider.ts';
import { SANDBOX_TOKENS, sandboxChargeModel } from '../../services/billing/src/payments/sandbox.ts';
import { policyPreset } from '../../services/billing/src/presets.ts';

const stack = inject('stack');
const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKER_ENTRY = path.join(ROOT, 'tests/support/billing-charge-worker.ts');

/**
 * The first worker's sandbox answers this long after it has charged: far
 * longer than the test needs to see the charge and kill the worker, so the
 * worker always dies before it hears back, however slow the machine.
 */
const CRASHING_DELAY_MS = 600_000;
/** Its provider timeout must outlast the delay, or the worker would give up on its own. */
const CRASHING_TIMEOUT_MS = 900_000;
/**
 * The second worker's provider timeout. Its lease on an attempt
 * (2 × timeout + 30 s) is what the left-over PENDING attempt must be older
 * than before the retry takes it over; until then the retry reports the
 * attempt busy and Temporal retries again a few seconds later.
 */
const RECOVERING_TIMEOUT_MS = 5_000;

/** Waits (polling) until `probe` returns a value other than undefined; fails after `timeoutMs` with `what`. */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, alsoCheck: () => void = () => {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    alsoCheck();
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface ChildWorker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  /** throws if the process has exited */
  assertAlive: () => void;
}

/** Starts billing's activity worker in a child process and waits until it polls. */
async function startBillingWorker(label: string, env: TestWorkflowEnvironment, dbName: string, options: { delayMs: number; timeoutMs: number }): Promise<ChildWorker> {
  const child = spawn(process.execPath, [WORKER_ENTRY], {
    cwd: ROOT,
    env: {
      ...process.env,
      CRASH_TEMPORAL_ADDRESS: env.address,
      CRASH_TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      MONGODB_URI: stack.env.MONGODB_URI!,
      SMTP_URL: stack.env.SMTP_URL!,
      CRASH_DB_NAME: dbName,
      PAYMENT_SANDBOX_DELAY_MS: String(options.delayMs),
      PAYMENT_PROVIDER_TIMEOUT_MS: String(options.timeoutMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const worker: ChildWorker = {
    child,
    exited,
    output: () => output,
    assertAlive: () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${label} billing worker exited:\n${output.slice(-4000)}`);
    },
  };
  children.push(worker);
  await waitFor(`the ${label} billing worker to start`, 60_000, async () => (output.includes('ready\n') ? true : undefined), worker.assertAlive);
  return worker;
}

/** A CARD_AUTO policy like [000]'s but without the trial, so the first invoice is charged as soon as the subscription opens. */
async function seedCardPlan(models: BillingModels): Promise<{ plan: PlanDoc; policy: PolicyDoc }> {
  const preset = policyPreset('ecommerce-license-30d');
  if (!preset) throw new Error('preset ecommerce-license-30d is missing');
  const policy = await models.ContractPolicy.create({
    ...preset,
    code: 'crash-test-card-30d',
    name: 'Crash test: card, 30-day periods, no trial',
    trialPeriod: null,
    trialRequiresPaymentMethod: false,
    version: 1,
    createdBy: 'billing-crash-test',
  });
  const plan = await models.Plan.create({
    code: 'CRASH-TEST-CARD',
    version: 1,
    name: 'Crash test plan',
    policyCode: policy.code,
    prices: [{ amountMinor: 7_900, currency: 'USD' }],
    createdBy: 'billing-crash-test',
  });
  return { plan: plan.toObject() as PlanDoc, policy: policy.toObject() as PolicyDoc };
}

const children: ChildWorker[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const worker of children.splice(0)) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await worker.exited;
  }
  // last started, first stopped
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

describe('a billing worker killed during a charge (BIL-5)', () => {
  it('the retried activity finds the provider\'s charge: exactly one successful charge, the invoice PAID once', { timeout: 240_000 }, async () => {
    try {
      // Expected activity failures and the SDK core's warnings about the test server would otherwise flood the output.
      Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
    } catch {
      // installed by an earlier test in this process
    }
    const env = await createTimeSkippingEnvironment();
    cleanups.push(() => env.teardown());
    const dbName = `billing_crash_${randomUUID().slice(0, 8)}`;
    const db: Connection = await mongoose.createConnection(stack.env.MONGODB_URI!, { dbName }).asPromise();
    cleanups.push(async () => {
      await db.dropDatabase();
      await db.close();
    });
    const models = billingModels(db);
    const sandbox = sandboxChargeModel(db);
    await Promise.all([...Object.values(models).map((model) => model.init()), sandbox.init()]);
    const { plan, policy } = await seedCardPlan(models);

    const mailer = createMailer(loadConfig(stack.env));
    cleanups.push(async () => mailer.close());
    const accounts = fakeAccountsActivities();
    const workers = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: TASK_QUEUES.workflows,
        workflowsPath: WORKFLOW_BUNDLE_ENTRY,
        bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
        activities: mailActivities(mailer),
      }),
      Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.accounts, activities: accounts.activities }),
    ]);
    const running = workers.map((worker) => worker.run());
    cleanups.push(async () => {
      for (const worker of workers) worker.shutdown();
      await Promise.allSettled(running);
    });

    const crashing = await startBillingWorker('first', env, dbName, { delayMs: CRASHING_DELAY_MS, timeoutMs: CRASHING_TIMEOUT_MS });

    const organizationId = new mongoose.Types.ObjectId().toString();
    await models.BillingAccount.create({ _id: organizationId, paymentMethod: { provider: 'sandbox', token: SANDBOX_TOKENS.ok, addedAt: new Date() } });
    const subscription = await openSubscription(models, env.client, {
      organizationId,
      plan,
      policy,
      currency: 'USD',
      hasPaymentMethod: true,
      startedBy: null,
      now: new Date(await env.currentTimeMs()),
    });
    const handle = env.client.workflow.getHandle(subscriptionWorkflowId(subscription._id.toString()));
    cleanups.push(() => handle.terminate('crash test over'));

    // The first worker issues the invoice and charges it; the provider records the charge and then stalls.
    const invoice = await waitFor('the invoice', 60_000, async () => (await models.Invoice.findOne({ organizationId }).lean<InvoiceDoc>()) ?? undefined, crashing.assertAlive);
    const invoiceId = invoice._id.toString();
    const key = chargeIdempotencyKey(invoiceId, 1);
    const charged = await waitFor('the provider to charge the invoice', 60_000, async () => (await sandbox.findOne({ idempotencyKey: key }).lean()) ?? undefined, crashing.assertAlive);
    expect(charged.status).toBe('SUCCEEDED');

    crashing.child.kill('SIGKILL');
    expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // It died mid-charge: the provider charged, but billing never learned of it.
    const [attemptAtCrash] = await models.PaymentAttempt.find({ invoiceId }).lean();
    expect(attemptAtCrash).toMatchObject({ idempotencyKey: key, attempt: 1, status: 'PENDING', providerPaymentId: null });
    expect((await models.Invoice.findById(invoiceId).lean<InvoiceDoc>())!.status).toBe('OPEN');

    // Temporal retries the charge (after its start-to-close timeout) on a fresh worker.
    const recovering = await startBillingWorker('second', env, dbName, { delayMs: 0, timeoutMs: RECOVERING_TIMEOUT_MS });
    const settledBy = await waitFor(
      'the charge to be settled',
      150_000,
      async () => {
        const emails = await models.BillingEmail.find({ organizationId, kind: { $in: ['PAYMENT_SUCCEEDED', 'PAYMENT_FAILED'] } }).lean();
        return emails[0]?.kind;
      },
      recovering.assertAlive,
    );
    expect(settledBy).toBe('PAYMENT_SUCCEEDED');

    // Exactly one charge at the provider, the one the first worker made …
    const charges = await sandbox.find({ idempotencyKey: { $regex: `^${invoiceId}/` } }).lean();
    expect(charges.map((row) => [row.idempotencyKey, row.status, row.providerPaymentId])).toEqual([[key, 'SUCCEEDED', charged.providerPaymentId]]);
    // … recorded as the attempt's outcome (the same attempt, taken over, not a second one) …
    const attempts = await models.PaymentAttempt.find({ invoiceId }).lean();
    expect(attempts.map((row) => [row.idempotencyKey, row.status, row.providerPaymentId])).toEqual([[key, 'SUCCEEDED', charged.providerPaymentId]]);
    expect(attempts[0]!._id.toString()).toBe(attemptAtCrash!._id.toString());
    // … and the invoice paid by it, once.
    const paid = (await models.Invoice.findById(invoiceId).lean<InvoiceDoc>())!;
    expect([paid.status, paid.paymentReference]).toEqual(['PAID', charged.providerPaymentId]);
    expect(paid.statusHistory.map((change) => change.to)).toEqual(['OPEN', 'PAID']);

    const history = (await models.Subscription.findById(subscription._id).lean<SubscriptionDoc>())!.history;
    expect(history.map((event) => [event.type, event.status ?? null])).toEqual([
      ['CREATED', 'ACTIVE'],
      ['INVOICE_ISSUED', null],
      ['INVOICE_PAID', 'ACTIVE'],
    ]);
    const emails = await models.BillingEmail.find({ organizationId }).sort({ _id: 1 }).lean();
    expect(emails.map((email) => email.kind)).toEqual(['INVOICE_ISSUED', 'PAYMENT_SUCCEEDED']);
  });
});
