import { randomUUID } from 'node:crypto';
import type { Client, WorkflowClient } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import mongoose, { type Connection } from 'mongoose';
import { createLogger, createMailer, loadConfig } from '@omurga/shared';
import { SUBSCRIPTION_SIGNALS, subscriptionWorkflowId, type SubscriptionWorkflowInput } from '../../services/billing/src/workflows/contracts.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { WORKFLOW_BUNDLE_ENTRY, WORKFLOW_BUNDLER_OPTIONS, createTimeSkippingEnvironment } from '@omurga/workflows/testing';
import { mailActivities } from '../../workflows/src/activities/mail.ts';
import { billingPersonalDataActivities } from '../../services/billing/src/personal-data-activities.ts';
import { fakeAccountsActivities } from '../../services/accounts/test/workflows/accounts-workers.ts';
import { fakePlatformPersonalData, personalDataWorkers } from '../../services/consent/test/workflows/personal-data-workers.ts';
import { billingActivities } from '../../services/billing/src/activities.ts';
import { sandboxExchangeRates } from '../../services/billing/src/invoices/exchange-rates.ts';
import { seedCatalogue } from '../../services/billing/src/catalogue-seed.ts';
import { createBillingOutbox } from '../../services/billing/src/emails.ts';
import { billingModels, type BillingModels, type InvoiceDoc, type PlanDoc, type PolicyDoc, type SubscriptionDoc } from '../../services/billing/src/models/index.ts';
import { openSubscription } from '../../services/billing/src/open-subscription.ts';
import { recordInvoicePayment, requestCancellation, schedulePlanChange } from '../../services/billing/src/subscription-requests.ts';
import { createSandboxProvider, sandboxChargeModel } from '../../services/billing/src/payments/sandbox.ts';
import type { StackInfo } from '../e2e/stack-info.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * A billing lifecycle on Temporal's time-skipping server with billing's real
 * activities against the real database (a throw-away one per walk), the real
 * sandbox provider and real SMTP into the stack's mail catcher. Only accounts
 * is a recording fake, so each walk can assert what was asked of it and when.
 */
export async function startBillingWalk(stack: StackInfo, options: { referredByPartnerId?: string } = {}) {
  try {
    // Expected activity failures (declines, retries) would otherwise flood the output.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed by an earlier walk in this process
  }
  const env: TestWorkflowEnvironment = await createTimeSkippingEnvironment();
  const db: Connection = await mongoose.createConnection(stack.env.MONGODB_URI!, { dbName: `billing_walk_${randomUUID().slice(0, 8)}` }).asPromise();
  const models = billingModels(db);
  await Promise.all(Object.values(models).map((model) => model.init()));
  await seedCatalogue(models);
  const sandbox = sandboxChargeModel(db);
  const accounts = fakeAccountsActivities(undefined, { referredByPartnerId: options.referredByPartnerId ?? null });
  const personalData = fakePlatformPersonalData();
  const config = loadConfig(stack.env);
  const mailer = createMailer(config);
  const logger = createLogger('billing-walk', 'silent');

  const workers = await Promise.all([
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.workflows,
      workflowsPath: WORKFLOW_BUNDLE_ENTRY,
      bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
      activities: mailActivities(mailer),
    }),
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.billing,
      activities: {
        ...billingActivities({
          models,
          provider: createSandboxProvider(db),
          providerTimeoutMs: 2_000,
          outbox: createBillingOutbox({ models, mailer, logger }),
          invoicePrefix: 'TST',
          commissionRateBasisPoints: 1000,
          exchangeRates: sandboxExchangeRates({ USD: '41.2500' }),
        }),
        ...billingPersonalDataActivities(models, env.client),
      },
    }),
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.accounts,
      activities: { ...accounts.activities, ...personalData.accounts.activities, ...personalData.directory.activities },
    }),
    // CON-6: the termination path's erasure reaches consent and support too.
    ...(await personalDataWorkers(env, personalData, ['accounts', 'billing'])),
  ]);
  const running = workers.map((worker) => worker.run());
  const organizationId = new mongoose.Types.ObjectId().toString();

  const walk = {
    env,
    models,
    accounts,
    personalData,
    organizationId,
    now: async () => new Date(await env.currentTimeMs()),

    async plan(code: string): Promise<{ plan: PlanDoc; policy: PolicyDoc }> {
      const plan = await models.Plan.findOne({ code }).sort({ version: -1 }).lean<PlanDoc>();
      const policy = plan && (await models.ContractPolicy.findOne({ code: plan.policyCode }).sort({ version: -1 }).lean<PolicyDoc>());
      if (!plan || !policy) throw new Error(`no plan ${code}`);
      return { plan, policy };
    },

    /**
     * Opens a subscription as the API would, with `token` stored as the payment method (if any).
     * `patches` starts its workflow as another release would: null as one from before the patch list
     * (SubscriptionWorkflowInput.patches), a list as one with those changes.
     */
    async open(planCode: string, options: { token?: string; currency?: string; addOns?: { code: string; quantity: number }[]; oneOffFees?: string[]; patches?: string[] | null } = {}) {
      if (options.token) {
        await models.BillingAccount.updateOne(
          { _id: organizationId },
          { $set: { paymentMethod: { provider: 'sandbox', token: options.token, addedAt: new Date() } } },
          { upsert: true },
        );
      }
      const { plan, policy } = await walk.plan(planCode);
      const startedAt = await walk.now();
      const subscription = await openSubscription(models, options.patches === undefined ? env.client : startingAs(env.client, options.patches), {
        organizationId,
        plan,
        policy,
        currency: options.currency ?? plan.prices[0]!.currency,
        addOns: options.addOns ?? [],
        oneOffFees: options.oneOffFees ?? [],
        hasPaymentMethod: Boolean(options.token),
        startedBy: null,
        now: startedAt,
      });
      const id = subscription._id.toString();
      return { id, startedAt: startedAt.getTime(), handle: env.client.workflow.getHandle(subscriptionWorkflowId(id)) };
    },

    async subscription(id: string): Promise<SubscriptionDoc> {
      return (await models.Subscription.findById(id).lean<SubscriptionDoc>())!;
    },

    /** The subscription's history as [hours after start, type, status]. */
    async timeline(id: string, startedAt: number): Promise<[number, string, string | null][]> {
      const subscription = await walk.subscription(id);
      return subscription.history.map((event) => [Math.round((event.at.getTime() - startedAt) / HOUR), event.type, event.status ?? null]);
    },

    /** What the API does for a customer's cancellation, at the server's current time. */
    async cancel(id: string) {
      return (await requestCancellation(models, env.client, await walk.subscription(id), await walk.now())).subscription;
    },

    async changePlan(id: string, planCode: string) {
      return schedulePlanChange(models, env.client, await walk.subscription(id), planCode, await walk.now());
    },

    /** What the API does when an operator records a bank transfer for the organisation's open invoice. */
    async payOpenInvoice(reference = 'EFT-1') {
      const invoice = await models.Invoice.findOne({ organizationId, status: 'OPEN' }).lean<InvoiceDoc>();
      if (!invoice) throw new Error('no open invoice');
      await recordInvoicePayment(models, env.client, invoice, { at: await walk.now(), reference });
      return invoice;
    },

    /** What the API does when an operator reports a chargeback or its resolution (BIL-10). */
    async chargeback(invoice: InvoiceDoc, resolved = false) {
      const handle = env.client.workflow.getHandle(subscriptionWorkflowId(invoice.subscriptionId!.toString()));
      if (resolved) await handle.signal(SUBSCRIPTION_SIGNALS.chargebackResolved);
      else await handle.signal(SUBSCRIPTION_SIGNALS.chargeback, { invoiceId: invoice._id.toString(), reason: 'itiraz' });
    },

    async invoices(): Promise<InvoiceDoc[]> {
      return models.Invoice.find({ organizationId }).sort({ sequence: 1 }).lean<InvoiceDoc[]>();
    },

    /** Every charge the sandbox provider recorded for this organisation's invoices: [invoice number, attempt, status]. */
    async charges(): Promise<[string, number, string][]> {
      const invoices = await walk.invoices();
      const rows = await sandbox.find({}).sort({ createdAt: 1 }).lean();
      return rows.flatMap((row) => {
        const [invoiceId, , attempt] = row.idempotencyKey.split('/');
        const invoice = invoices.find((i) => i._id.toString() === invoiceId);
        return invoice ? [[invoice.number, Number(attempt), row.status as string] as [string, number, string]] : [];
      });
    },

    /** The kinds of billing e-mails queued for this organisation, in order. */
    async emails(): Promise<string[]> {
      const rows = await models.BillingEmail.find({ organizationId }).sort({ _id: 1 }).lean();
      return rows.map((row) => row.kind);
    },

    /** Accounts activities asked for, as [hours after start, activity, reason]. */
    accountsCalls(startedAt: number): [number, string, string | null][] {
      return accounts.calls
        .filter((call) => call.activity !== 'organizationBillingProfile')
        .map((call) => [
          Math.round((call.scheduledAt - startedAt) / HOUR),
          call.activity,
          ((call.input as { reason?: string }).reason ?? null) as string | null,
        ]);
    },

    async close() {
      for (const worker of workers) worker.shutdown();
      await Promise.allSettled(running);
      mailer.close();
      await db.dropDatabase();
      await db.close();
      await env.teardown();
    },
  };
  return walk;
}

export type BillingWalk = Awaited<ReturnType<typeof startBillingWalk>>;
export type { BillingModels };

/** The client, except that the lifecycle workflows it starts carry `patches` (none when null), as another release's starter would. */
function startingAs(client: Client, patches: string[] | null): Client {
  const start: WorkflowClient['start'] = (workflow, options) => {
    const [input, ...rest] = options.args as [SubscriptionWorkflowInput];
    const { patches: _, ...withoutPatches } = input;
    return client.workflow.start(workflow, { ...options, args: [patches === null ? withoutPatches : { ...withoutPatches, patches }, ...rest] } as typeof options);
  };
  return Object.assign(Object.create(client) as Client, { workflow: Object.assign(Object.create(client.workflow) as WorkflowClient, { start }) });
}
