// Issue 16: renewals at the speed of the hardware. Boots its own stack, imports
// N customers with card subscriptions through the gateway (importCustomers),
// all renewing at the same instant T0 (renewsAt), and measures how fast they
// settle: charged, invoiced and e-mailed (the PAYMENT_SUCCEEDED e-mail
// delivered over SMTP to the mail catcher), then until each is complete (its
// next run opened, the webhook events handed to accounts); the CPU figures
// cover the whole of it. N = 1 000, then 10 000 on the same
// stack (so the second run also meets the data of the first); `--quick`: 100
// and 300. Prints a table, then one JSON line. See README "Performance".
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { connectTemporalClient } from '@omurga/shared/temporal';
import { graphql } from '../tests/support/graphql.ts';
import { formatTable, round } from './lib/report.ts';
import { BENCH_OPERATOR, startBenchStack, usageBetween, type ProcessUsage } from './lib/stack.ts';
import { databaseCommandsByKind } from './gateway/db-commands.ts';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [100, 300] : [1_000, 10_000];
const CHUNK = 500;
/** How long a run may take to settle before the bench gives up on it (the target is 10 minutes for 10 000). */
const SETTLE_LIMIT_MS = (quick ? 10 : 40) * 60_000;
const POLL_MS = 5_000;

const log = (message: string) => console.log(`[renewals] ${new Date().toISOString().slice(11, 19)} ${message}`);

// Counting commands costs each service a listener call per command, the same in both runs.
const bench = await startBenchStack({ OMURGA_COUNT_DB_COMMANDS: '1' });
const serviceMetrics = ['accounts', 'billing', 'consent', 'support'].map((name) => bench.stack.urls.metrics[name]!);
const gw = bench.gatewayUrl;
const db = mongoose.createConnection(bench.stack.env.MONGODB_URI!, { dbName: `${bench.stack.config.mongo.dbPrefix}billing` });
const temporal = await connectTemporalClient(bench.stack.config);

async function call(query: string, variables: Record<string, unknown>, token?: string) {
  const response = await graphql(gw, query, { variables, ...(token ? { token } : {}) });
  if (response.errors?.length) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(response.errors)}`);
  return response.data!;
}

let session: { token: string; at: number } | null = null;
/** The bench operator's access token, logged in again every 5 minutes: access tokens are short-lived and a 10 000 import outlasts one. */
async function operatorToken(): Promise<string> {
  if (!session || Date.now() - session.at > 5 * 60_000) {
    const login = await call('mutation($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { accessToken } }', { e: BENCH_OPERATOR.email, p: BENCH_OPERATOR.password });
    session = { token: login.logIn.accessToken as string, at: Date.now() };
  }
  return session.token;
}

/** A card policy whose trial (a day) holds any renewsAt of the bench; renewals every day after. */
async function benchPlan(token: string): Promise<string> {
  const suffix = randomUUID().slice(0, 8);
  const policy = {
    code: `bench-renewals-${suffix}`,
    name: 'Bench renewals',
    seedReference: 'bench',
    trialPeriod: 'P1D',
    trialRequiresPaymentMethod: true,
    billingPeriod: 'P30D',
    collectionMethod: 'CARD_AUTO',
    maxCollectionAttempts: 3,
    retryInterval: 'PT1M',
    suspendAfter: 'PT10M',
    terminateAfter: 'PT1H',
    dataDeletionAfterTermination: 'P1D',
    cancellationNotice: 'PT0S',
    termsChangeNotice: 'PT0S',
  };
  await call('mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { input: policy }, token);
  const code = `BENCH-${suffix}`.toUpperCase();
  await call('mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { input: { code, name: `Bench ${suffix}`, policyCode: policy.code, prices: [{ currency: 'TRY', amountMinor: 990_00 }] } }, token);
  return code;
}

const IMPORT = `mutation($input: CustomerImportInput!) { importCustomers(input: $input) { rows { subscriptionId userErrors { code field } } userErrors { code } } }`;

/** Imports `count` customers renewing at `renewsAt` (null: a trial from now); the subscription IDs. */
async function importCustomers(planCode: string, label: string, count: number, renewsAt: Date | null): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < count; from += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, count - from) }, (_, i) => ({
      externalReference: `${label}-${from + i}`,
      companyName: `Bench ${label} ${from + i} A.Ş.`,
      customerType: 'CORPORATE',
      taxId: '1234567890',
      taxOffice: 'Kadıköy',
      billingAddress: { line1: 'Bench Cd. 1', city: 'İstanbul', country: 'TR' },
      billingEmail: `billing-${label}-${from + i}@bench.example`,
      subscription: { planCode, currency: 'TRY', paymentMethodToken: 'sandbox_ok', ...(renewsAt ? { renewsAt: renewsAt.toISOString() } : {}) },
    }));
    const data = await call(IMPORT, { input: { rows } }, await operatorToken());
    for (const row of data.importCustomers.rows as { subscriptionId: string | null; userErrors: unknown[] }[]) {
      if (!row.subscriptionId) throw new Error(`an import row was refused: ${JSON.stringify(row.userErrors)}`);
      ids.push(row.subscriptionId);
    }
  }
  return ids;
}

const count = (collection: string, filter: Record<string, unknown>) => db.collection(collection).countDocuments(filter);

/** A counter's value on a service's /metrics (0 before its first increment). */
async function counter(service: 'accounts' | 'billing', series: string): Promise<number> {
  const text = await (await fetch(bench.stack.urls.metrics[service]!)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
/** PAYMENT_SUCCEEDED e-mails billing has delivered since it started. */
const paymentSucceededEmails = () => counter('billing', 'omurga_lifecycle_emails_delivered_total{kind="PAYMENT_SUCCEEDED"}');
/** Subscription runs accounts has opened since it started: a renewal ends when its next run has opened. */
const runsOpened = () => counter('accounts', 'omurga_subscription_runs_opened_total');

/** Polls until `target` is reached (or the limit passes); answers when it was (ms since epoch) or null. */
async function waitFor(read: () => Promise<number>, target: number, limitMs: number, label: string, pollMs = POLL_MS): Promise<number | null> {
  const deadline = Date.now() + limitMs;
  let last = -1;
  let loggedAt = 0;
  for (;;) {
    const n = await read();
    if (n >= target || (n !== last && Date.now() - loggedAt >= POLL_MS)) {
      log(`${label}: ${n}/${target}`);
      loggedAt = Date.now();
    }
    last = n;
    if (n >= target) return Date.now();
    if (Date.now() > deadline) return null;
    await sleep(pollMs);
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Workflow tasks and activities in a renewed subscription's workflow history (every run), by type. */
async function historyProfile(subscriptionId: string): Promise<Record<string, number>> {
  const profile: Record<string, number> = {};
  const add = (key: string) => (profile[key] = (profile[key] ?? 0) + 1);
  for await (const execution of temporal.workflow.list({ query: `WorkflowId = "subscription/${subscriptionId}"` })) {
    add('runs');
    const history = await temporal.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    for (const event of history.events ?? []) {
      if (event.workflowTaskCompletedEventAttributes) add('workflowTasks');
      const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
      if (activity) add(`activity:${activity}`);
      if (event.startChildWorkflowExecutionInitiatedEventAttributes) add('childWorkflows');
    }
    add('historyEvents');
    profile.historyEvents = (profile.historyEvents ?? 1) - 1 + (history.events?.length ?? 0);
  }
  return profile;
}

interface RunResult {
  n: number;
  startedPerSecond: number;
  settledWithinSeconds: number | null;
  /** until every renewed subscription's next run had opened */
  completeWithinSeconds: number | null;
  renewalsPerMinute: number | null;
  settleP50Seconds: number;
  settleP95Seconds: number;
  cpuSecondsPerRenewal: number;
  cpu: ProcessUsage[];
  emailWorkflows: number;
  /** database commands the services sent per renewal settled, by service, command and collection */
  commandsPerRenewal: Map<string, number>;
}

async function run(planCode: string, n: number, startRate: number): Promise<RunResult> {
  const label = `r${n}-${randomUUID().slice(0, 6)}`;
  // Every renewal at one instant, after the whole import (at the measured pace, with room to spare) and its start work.
  // The pace drops as the import goes on, and a row whose renewsAt has passed is refused, hence the
  // margin: the 10 000 took 8.5 minutes at 5cc24bc, while ×3 + 120 s put T0 21 minutes ahead.
  const renewsAt = new Date(Date.now() + Math.ceil((n / startRate) * 2 + 180) * 1000);
  log(`importing ${n} customers renewing at ${renewsAt.toISOString()}`);
  const importStart = Date.now();
  await importCustomers(planCode, label, n, renewsAt);
  const importSeconds = (Date.now() - importStart) / 1000;
  log(`imported ${n} in ${importSeconds.toFixed(1)} s (${(n / importSeconds).toFixed(1)}/s); waiting for their trials to begin`);
  // Filters by the shared renewal time rather than by 10 000 IDs (a scan of the subscriptions, before T0 only).
  await waitFor(() => count('subscriptions', { trialEndsAt: renewsAt, periodIndex: 0 }), n, Math.max(0, renewsAt.getTime() - Date.now()), 'trials begun');
  if (Date.now() > renewsAt.getTime()) log('warning: the start work was still going on at the renewal time');
  const emailWorkflowsBefore = (await temporal.workflow.count('WorkflowType = "sendEmailWorkflow"')).count;
  const emailsBefore = await paymentSucceededEmails();
  const runsBefore = await runsOpened();
  // How busy the stack still is in the last minute before T0 (work left over from the import).
  await sleep(Math.max(0, renewsAt.getTime() - 60_000 - Date.now()));
  const minuteBefore = bench.usage();
  const minuteBeforeAt = Date.now();
  await sleep(Math.max(0, renewsAt.getTime() - Date.now()));
  const before = bench.usage();
  const leftover = usageBetween(minuteBefore, before).filter((p) => p.cpuSeconds >= 0.5);
  log(`in the last ${((Date.now() - minuteBeforeAt) / 1000).toFixed(0)} s before T0: ${leftover.map((p) => `${p.name} ${p.cpuSeconds.toFixed(1)} CPU-s`).join(', ') || 'idle'}`);
  const commandsBefore = await databaseCommandsByKind(serviceMetrics);
  log(`renewal time: ${n} subscriptions due`);
  // Billing's counter rather than a count of billing_emails: that count scans the collection
  // (no index on kind) every few seconds, which at 20 000 e-mails took CPU from the wave it measures.
  const settledAt = await waitFor(async () => (await paymentSucceededEmails()) - emailsBefore, n, SETTLE_LIMIT_MS, 'settled (paid, invoiced, e-mailed)', 1_000);
  // Then the rest of each renewal: continue-as-new and the next run's opening (the webhook hand-over to accounts).
  const completeAt = await waitFor(async () => (await runsOpened()) - runsBefore, n, SETTLE_LIMIT_MS, 'complete (next run opened)', 1_000);
  const after = bench.usage();
  const commandsAfter = await databaseCommandsByKind(serviceMetrics);
  const cpu = usageBetween(before, after);
  const invoices = await db
    .collection('invoices')
    .find({ issuedAt: { $gte: renewsAt }, periodIndex: 1, status: 'PAID' }, { projection: { paidAt: 1 } })
    .toArray();
  const latencies = invoices.map((i) => ((i.paidAt as Date).getTime() - renewsAt.getTime()) / 1000).sort((a, b) => a - b);
  const settledWithinSeconds = settledAt === null ? null : (settledAt - renewsAt.getTime()) / 1000;
  const completeWithinSeconds = completeAt === null ? null : (completeAt - renewsAt.getTime()) / 1000;
  const totalCpu = cpu.reduce((sum, p) => sum + p.cpuSeconds, 0);
  const emailWorkflows = (await temporal.workflow.count('WorkflowType = "sendEmailWorkflow"')).count - emailWorkflowsBefore;
  return {
    n,
    startedPerSecond: n / importSeconds,
    settledWithinSeconds,
    completeWithinSeconds,
    renewalsPerMinute: settledWithinSeconds === null ? null : n / (settledWithinSeconds / 60),
    settleP50Seconds: percentile(latencies, 50),
    settleP95Seconds: percentile(latencies, 95),
    cpuSecondsPerRenewal: totalCpu / Math.max(1, invoices.length),
    cpu,
    emailWorkflows,
    commandsPerRenewal: new Map(
      [...commandsAfter]
        .map(([kind, count]) => [kind.replace(/\w+="([^"]*)"/g, '$1').replaceAll(',', ' '), (count - (commandsBefore.get(kind) ?? 0)) / Math.max(1, invoices.length)] as const)
        .filter(([, perRenewal]) => perRenewal >= 0.05)
        .sort((a, b) => b[1] - a[1]),
    ),
  };
}

try {
  await db.asPromise();
  const planCode = await benchPlan(await operatorToken());

  // Calibration: the pace of starting subscriptions (these stay in their trial during the bench).
  const calibration = 100;
  const t = Date.now();
  await importCustomers(planCode, `calibration-${randomUUID().slice(0, 6)}`, calibration, null);
  let startRate = calibration / ((Date.now() - t) / 1000);
  log(`calibration: ${startRate.toFixed(1)} subscriptions started per second`);

  const results: RunResult[] = [];
  for (const n of SIZES) {
    const result = await run(planCode, n, startRate);
    results.push(result);
    startRate = result.startedPerSecond;
  }
  const [small, large] = results as [RunResult, RunResult];
  const sample = await historyProfile(
    (await db.collection('invoices').findOne({ periodIndex: 1, status: 'PAID' }, { projection: { subscriptionId: 1 } }))!.subscriptionId.toString(),
  );
  const peakRssMiB = Object.fromEntries(bench.usage().map((p) => [p.name, round(p.peakRssMiB)]));

  console.log(
    formatTable(
      ['N', 'started/s', 'all settled after', 'renewals/min', 'p50 / p95 settle', 'next runs all opened after', 'CPU-s per renewal', 'e-mail workflows'],
      results.map((r) => [
        String(r.n),
        r.startedPerSecond.toFixed(1),
        r.settledWithinSeconds === null ? `not within ${SETTLE_LIMIT_MS / 60_000} min` : `${r.settledWithinSeconds.toFixed(0)} s`,
        r.renewalsPerMinute === null ? '—' : r.renewalsPerMinute.toFixed(0),
        `${r.settleP50Seconds.toFixed(0)} s / ${r.settleP95Seconds.toFixed(0)} s`,
        r.completeWithinSeconds === null ? `not within ${SETTLE_LIMIT_MS / 60_000} min` : `${r.completeWithinSeconds.toFixed(0)} s`,
        r.cpuSecondsPerRenewal.toFixed(3),
        String(r.emailWorkflows),
      ]),
    ),
  );
  console.log(formatTable(['process', `CPU-s (N=${small.n})`, `CPU-s (N=${large.n})`, 'peak RSS MiB'], large.cpu.map((p) => [p.name, small.cpu.find((s) => s.name === p.name)!.cpuSeconds.toFixed(1), p.cpuSeconds.toFixed(1), String(peakRssMiB[p.name])])));
  console.log(
    formatTable(
      ['database commands per renewal (service command collection)', `N=${small.n}`, `N=${large.n}`],
      [...large.commandsPerRenewal].map(([kind, perRenewal]) => [kind, (small.commandsPerRenewal.get(kind) ?? 0).toFixed(2), perRenewal.toFixed(2)]),
    ),
  );
  console.log(formatTable(['one subscription, start to first renewal settled', 'count'], Object.entries(sample).map(([k, v]) => [k, String(v)])));

  console.log(
    JSON.stringify({
      renewalSizes: SIZES,
      subscriptionsStartedPerSecond: round(large.startedPerSecond),
      renewalsPerMinute1k: small.renewalsPerMinute === null ? null : round(small.renewalsPerMinute),
      renewalsPerMinute10k: large.renewalsPerMinute === null ? null : round(large.renewalsPerMinute),
      renewalsSettledSeconds1k: small.settledWithinSeconds === null ? null : round(small.settledWithinSeconds),
      renewalsSettledSeconds10k: large.settledWithinSeconds === null ? null : round(large.settledWithinSeconds),
      renewalsCompleteSeconds1k: small.completeWithinSeconds === null ? null : round(small.completeWithinSeconds),
      renewalsCompleteSeconds10k: large.completeWithinSeconds === null ? null : round(large.completeWithinSeconds),
      cpuSecondsPerRenewal1k: round(small.cpuSecondsPerRenewal),
      cpuSecondsPerRenewal10k: round(large.cpuSecondsPerRenewal),
      costGrowth1kTo10k: round(large.cpuSecondsPerRenewal / small.cpuSecondsPerRenewal),
      databaseCommandsPerRenewal10k: round([...large.commandsPerRenewal.values()].reduce((sum, c) => sum + c, 0)),
      renewalHistory: sample,
      peakRssMiB,
    }),
  );
} finally {
  await temporal.connection.close();
  await db.close();
  await bench.stop();
}
