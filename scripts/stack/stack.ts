import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SUBGRAPHS, loadConfig, type PlatformConfig } from '@omurga/shared';
import { SEARCH_ATTRIBUTES } from '@omurga/shared/temporal';
import { postgresCluster, postgresUrl } from './postgres.ts';
import { ManagedProcess, httpReady, tcpReady, type Output, type ProcessSpec, type Supervision } from './processes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface StackPorts {
  gateway: number;
  accounts: number;
  billing: number;
  consent: number;
  support: number;
  /** the customer portal and back office (web/), which e-mailed links open */
  web: number;
  workerHealth: number;
  temporalCodec: number;
  /** the worker's Temporal SDK metrics (Prometheus), forwarded on the worker's /metrics */
  temporalMetrics: number;
  temporal: number;
  temporalHttp: number;
  temporalUi: number;
  database: number;
  /** the PostgreSQL cluster FerretDB (the database above) stores its collections in */
  postgres: number;
  smtp: number;
  mailWeb: number;
}

export const DEFAULT_PORTS: StackPorts = {
  gateway: 4000,
  accounts: 4001,
  billing: 4002,
  consent: 4003,
  support: 4004,
  web: 4005,
  workerHealth: 4010,
  temporalCodec: 4011,
  temporalMetrics: 4012,
  temporal: 7233,
  temporalHttp: 7243,
  temporalUi: 8233,
  database: 27017,
  postgres: 27018,
  smtp: 1025,
  mailWeb: 8025,
};

// Linux hands out client-side ports from 32768 up, so a port of ours up there
// can be taken by any outgoing connection at the moment we want to listen.
const EPHEMERAL_PORTS_START = 32_768;

/**
 * Seventeen consecutive ports from `base`, for a second stack beside the
 * default one (the tests' stacks). They must stay below the ephemeral range.
 */
export function portBlock(base: number): StackPorts {
  if (!Number.isInteger(base) || base < 1024 || base + 16 >= EPHEMERAL_PORTS_START) {
    throw new Error(`port base ${base} must be an integer from 1024 to ${EPHEMERAL_PORTS_START - 17}`);
  }
  return {
    gateway: base,
    accounts: base + 1,
    billing: base + 2,
    consent: base + 3,
    support: base + 4,
    web: base + 7,
    postgres: base + 8,
    workerHealth: base + 10,
    temporalCodec: base + 9,
    temporalMetrics: base + 5,
    temporal: base + 11,
    temporalHttp: base + 12,
    temporalUi: base + 13,
    database: base + 14,
    smtp: base + 15,
    mailWeb: base + 16,
  };
}

export interface StackOptions {
  host?: string;
  ports?: StackPorts;
  dataDir: string;
  output: Output;
  /** an external MongoDB (production-like); the local database (FerretDB on PostgreSQL) is started when absent */
  mongodbUri?: string | undefined;
  extraEnv?: NodeJS.ProcessEnv;
  /** told when a process crashes (it is restarted with backoff) and when it serves again */
  supervision: Supervision;
}

export interface RunningStack {
  config: PlatformConfig;
  env: Record<string, string>;
  urls: { gateway: string; web: string; temporalUi: string; mailCatcher: string; temporal: string; database: string; metrics: Record<string, string> };
  processes: ManagedProcess[];
  stop(): Promise<void>;
}

function requireBinary(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: start the platform with ./platform, which builds and caches it`);
  return value;
}

/** The environment every platform process gets: where everything else listens. */
export function stackEnvironment(host: string, ports: StackPorts, mongodbUri: string | undefined): Record<string, string> {
  return {
    OMURGA_HOST: host,
    GATEWAY_PORT: String(ports.gateway),
    ACCOUNTS_PORT: String(ports.accounts),
    BILLING_PORT: String(ports.billing),
    CONSENT_PORT: String(ports.consent),
    SUPPORT_PORT: String(ports.support),
    WORKER_HEALTH_PORT: String(ports.workerHealth),
    TEMPORAL_CODEC_PORT: String(ports.temporalCodec),
    TEMPORAL_METRICS_PORT: String(ports.temporalMetrics),
    MONGODB_URI: mongodbUri || `mongodb://${host}:${ports.database}`,
    TEMPORAL_ADDRESS: `${host}:${ports.temporal}`,
    TEMPORAL_UI_URL: `http://${host}:${ports.temporalUi}`,
    SMTP_URL: `smtp://${host}:${ports.smtp}`,
    WEB_PORT: String(ports.web),
    // Every link an e-mail carries opens a page of the front (web/).
    PUBLIC_APP_URL: `http://${host}:${ports.web}`,
    // Webhook receivers on this machine are allowed locally (never in production: README "Webhooks").
    WEBHOOK_ALLOWED_TARGETS: process.env.WEBHOOK_ALLOWED_TARGETS ?? '127.0.0.1',
  };
}

/**
 * The local database in start order: PostgreSQL, then FerretDB on it (the
 * MongoDB wire protocol the services speak). See README "Local database".
 */
export function localDatabase(host: string, ports: Pick<StackPorts, 'database' | 'postgres'>, dataDir: string): ProcessSpec[][] {
  return [
    [postgresCluster(host, ports.postgres, dataDir)],
    [
      {
        name: 'ferretdb',
        command: requireBinary('OMURGA_FERRETDB_BIN'),
        args: ['--listen-addr', `${host}:${ports.database}`, '--postgresql-url', postgresUrl(host, ports.postgres)],
        ready: tcpReady(host, ports.database),
      },
    ],
  ];
}

function infrastructure(host: string, ports: StackPorts, dataDir: string): ProcessSpec[] {
  const specs: ProcessSpec[] = [];
  mkdirSync(path.join(dataDir, 'temporal'), { recursive: true });
  specs.push({
    name: 'temporal',
    command: requireBinary('OMURGA_TEMPORAL_BIN'),
    args: [
      'server', 'start-dev',
      '--ip', host,
      '--port', String(ports.temporal),
      '--http-port', String(ports.temporalHttp),
      '--ui-ip', host,
      '--ui-port', String(ports.temporalUi),
      // The UI decodes the platform's encrypted payloads through the worker (workflows/src/codec-endpoint.ts).
      '--ui-codec-endpoint', `http://${host}:${ports.temporalCodec}/codec`,
      '--db-filename', path.join(dataDir, 'temporal', 'temporal.sqlite'),
      // Issue 16: a write-ahead log, synced at checkpoints rather than at every commit. A crash of the
      // process loses nothing; only a power cut can lose the last commits, which a local stack accepts.
      '--sqlite-pragma', 'journal_mode=wal',
      '--sqlite-pragma', 'synchronous=normal',
      '--log-level', 'warn',
      // Issue 16: one partition per task queue (the default is 4). The platform runs one worker
      // process per queue, so every poller then sees every task at once instead of waiting for a
      // partition to forward it; one partition matches far more tasks a second than this stack makes.
      '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
      '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
      ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ],
    ready: async () => (await tcpReady(host, ports.temporal)()) && (await httpReady(`http://${host}:${ports.temporalUi}/`)()),
    readyTimeoutMs: 120_000,
  });
  const maildev = path.join(path.dirname(createRequire(import.meta.url).resolve('maildev/package.json')), 'bin', 'maildev');
  specs.push({
    name: 'mail',
    command: process.execPath,
    args: [maildev, '--ip', host, '--smtp', String(ports.smtp), '--web', String(ports.mailWeb), '--silent'],
    ready: httpReady(`http://${host}:${ports.mailWeb}/email`),
  });
  return specs;
}

function nodeService(name: string, entry: string, readyUrl: string, env: Record<string, string>): ProcessSpec {
  return { name, command: process.execPath, args: [path.join(ROOT, entry)], cwd: ROOT, env, ready: httpReady(readyUrl) };
}

/** Starts each phase's processes together once the previous phase is ready; stops them in reverse order. */
export async function startPhases(phases: ProcessSpec[][], output: Output, supervision: Supervision): Promise<{ processes: ManagedProcess[]; stop(): Promise<void> }> {
  const started: ManagedProcess[] = [];
  const stop = async () => {
    for (const process of [...started].reverse()) await process.stop();
    output.close();
  };
  try {
    for (const phase of phases) {
      const processes = phase.map((spec) => new ManagedProcess(spec));
      for (const p of processes) {
        p.start(output, supervision);
        started.push(p);
      }
      await Promise.all(processes.map((p) => p.waitUntilReady()));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { processes: started, stop };
}

/** Starts infrastructure, then the subgraphs and the worker, then the gateway. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const host = options.host ?? '127.0.0.1';
  const ports = options.ports ?? DEFAULT_PORTS;
  mkdirSync(options.dataDir, { recursive: true });
  const env = { ...stackEnvironment(host, ports, options.mongodbUri), ...(options.extraEnv as Record<string, string>) };
  const config = loadConfig({ ...process.env, ...env });
  const http = (port: number, p: string) => `http://${host}:${port}${p}`;

  const [storage = [], database = []] = options.mongodbUri ? [] : localDatabase(host, ports, options.dataDir);
  const phases: ProcessSpec[][] = [
    storage,
    [...database, ...infrastructure(host, ports, options.dataDir)],
    [
      ...SUBGRAPHS.map((name) => nodeService(name, `services/${name}/src/main.ts`, http(config.subgraphs[name].port, '/readyz'), env)),
      nodeService('worker', 'workflows/src/worker.ts', http(ports.workerHealth, '/readyz'), env),
    ],
    [nodeService('gateway', 'gateway/src/main.ts', http(ports.gateway, '/readyz'), env), nodeService('web', 'web/server/main.ts', http(ports.web, '/readyz'), env)],
  ];

  const { processes, stop } = await startPhases(phases, options.output, options.supervision);

  return {
    config,
    env,
    processes,
    urls: {
      gateway: config.gateway.url,
      web: http(ports.web, ''),
      temporalUi: config.temporal.uiUrl,
      mailCatcher: http(ports.mailWeb, ''),
      temporal: config.temporal.address,
      database: env.MONGODB_URI!,
      metrics: {
        gateway: http(ports.gateway, '/metrics'),
        ...Object.fromEntries(SUBGRAPHS.map((name) => [name, new URL('/metrics', config.subgraphs[name].url).href])),
        worker: http(ports.workerHealth, '/metrics'),
      },
    },
    stop,
  };
}
