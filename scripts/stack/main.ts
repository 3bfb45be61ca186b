// `./platform start`: the whole platform in the foreground on embedded defaults.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { tracingRequested } from '@omurga/shared';
import { DEFAULT_PORTS, portBlock, startStack } from './stack.ts';
import { terminalOutput } from './processes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = path.resolve(process.env.OMURGA_DATA_DIR ?? path.join(ROOT, '.data'));
const logDir = path.join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });

// Local defaults only; a real deployment sets its own operator credentials.
const operator = {
  BOOTSTRAP_OPERATOR_EMAIL: process.env.BOOTSTRAP_OPERATOR_EMAIL ?? 'operator@omurga.local',
  BOOTSTRAP_OPERATOR_PASSWORD: process.env.BOOTSTRAP_OPERATOR_PASSWORD ?? 'Omurga-Local-Operator-1',
};

let shuttingDown = false;
const started = Date.now();
console.log(`Starting the platform (data in ${path.relative(process.cwd(), dataDir) || '.'}; infrastructure logs in ${path.relative(process.cwd(), logDir)}) ...`);

const stackPromise = startStack({
  dataDir,
  // OMURGA_PORT_BASE puts every port in one block, for a second platform on one machine.
  ports: process.env.OMURGA_PORT_BASE ? portBlock(Number(process.env.OMURGA_PORT_BASE)) : DEFAULT_PORTS,
  output: terminalOutput(logDir, new Set(['postgres', 'ferretdb', 'temporal', 'mail'])),
  mongodbUri: process.env.MONGODB_URI,
  extraEnv: operator,
  supervision: {
    onUnexpectedExit: ({ name, reason, restartInMs, attempt }) => {
      if (shuttingDown) return;
      console.error(`${name} exited (${reason}); restarting in ${restartInMs / 1000}s (attempt ${attempt}); see ${path.join(logDir, `${name}.log`)}`);
    },
    onRecovered: (name, attempt) => console.log(`${name} is serving again (attempt ${attempt})`),
  },
});

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log('\nStopping the platform ...');
  const stack = await stackPromise.catch(() => undefined);
  await stack?.stop();
  console.log('Stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

try {
  const stack = await stackPromise;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const row = (label: string, value: string) => `  ${label.padEnd(20)} ${value}`;
  console.log(
    [
      '',
      `\x1b[1mThe platform is up\x1b[0m (${seconds}s). Ctrl-C stops everything.`,
      row('Customer portal', `${stack.urls.web}/portal`),
      row('Back office', `${stack.urls.web}/operator`),
      row('GraphQL gateway', stack.urls.gateway),
      row('Temporal UI', stack.urls.temporalUi),
      row('Mail catcher', stack.urls.mailCatcher),
      row('Temporal gRPC', stack.urls.temporal),
      row('Database', process.env.MONGODB_URI ? 'MONGODB_URI (external)' : `${stack.urls.database} (FerretDB on PostgreSQL, cluster in ${path.join(dataDir, 'postgres')})`),
      row('Metrics (Prometheus)', Object.entries(stack.urls.metrics).map(([name, url]) => `${name} ${url}`).join('\n' + ' '.repeat(23))),
      row('Tracing', tracingRequested() ? 'on (OpenTelemetry, OTEL_* settings)' : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT to export traces)'),
      row('Operator login', `${operator.BOOTSTRAP_OPERATOR_EMAIL} (BOOTSTRAP_OPERATOR_EMAIL / _PASSWORD)`),
      '',
    ].join('\n'),
  );
} catch (error) {
  console.error(`\nThe platform failed to start: ${(error as Error).message}`);
  await shutdown(1);
}
