// A real, non-dev Temporal cluster for one test: PostgreSQL from Debian's
// packages in a scratch directory, the schemas applied by temporal-sql-tool,
// and the Temporal server (all four roles) built from go.temporal.io/server,
// all on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEARCH_ATTRIBUTES } from '@omurga/shared/temporal';
import { asPostgres, postgresUser } from '../../scripts/stack/postgres.ts';
import { ManagedProcess, fileOutput, tcpReady } from '../../scripts/stack/processes.ts';

function required(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: run the tests through ./platform test, which provides it`);
  return value;
}

function serverConfig(ports: { postgres: number; base: number }): string {
  const store = (database: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: 127.0.0.1:${ports.postgres}
        connectProtocol: tcp
        user: temporal
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const role = (offset: number, extra = '') => `
    rpc:
      grpcPort: ${ports.base + offset}
      membershipPort: ${ports.base + offset + 1}
      bindOnIP: 127.0.0.1${extra}`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store('temporal', 10)}
    visibility:${store('temporal_visibility', 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${role(0, `\n      httpPort: ${ports.base + 8}`)}
  history:${role(2)}
  matching:${role(4)}
  worker:${role(6)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${ports.base}
      httpAddress: 127.0.0.1:${ports.base + 8}
dcRedirectionPolicy:
  policy: noop
`;
}

export interface TemporalCluster {
  address: string;
  /** runs SQL in the cluster's main database (proof of where the histories live) */
  sql(query: string): string;
  stop(): Promise<void>;
}

/** Ports `base` .. `base + 9`. */
export async function startTemporalOnPostgres(base: number): Promise<TemporalCluster> {
  const pgBin = required('OMURGA_POSTGRES_BIN_DIR');
  const serverDir = required('OMURGA_TEMPORAL_SERVER_DIR');
  const cli = required('OMURGA_TEMPORAL_BIN');
  const dir = mkdtempSync(path.join(tmpdir(), 'omurga-temporal-pg-'));
  const dataDir = path.join(dir, 'pgdata');
  const logDir = path.join(dir, 'logs');
  mkdirSync(dataDir);
  mkdirSync(logDir);
  const user = postgresUser();
  if (user) for (const d of [dir, dataDir]) chownSync(d, user.uid, user.gid);
  const runAs = user ? { uid: user.uid, gid: user.gid } : {};
  const pgPort = base + 9;
  execFileSync(path.join(pgBin, 'initdb'), ['-D', dataDir, '-U', 'temporal', '--auth=trust', '--no-sync'], { ...runAs, stdio: 'ignore' });

  const output = fileOutput(logDir);
  const postgresArgs = ['-D', dataDir, '-p', String(pgPort), '-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off'];
  const postgres = new ManagedProcess({
    name: 'postgres',
    ...asPostgres(path.join(pgBin, 'postgres'), postgresArgs, user),
    ready: tcpReady('127.0.0.1', pgPort),
  });
  const started: ManagedProcess[] = [];
  const stop = async () => {
    for (const p of started.reverse()) await p.stop();
    output.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const supervision = { onUnexpectedExit: () => undefined };
  try {
    postgres.start(output, supervision);
    started.push(postgres);
    await postgres.waitUntilReady();

    const sqlTool = (database: string, ...args: string[]) =>
      execFileSync(path.join(serverDir, 'sql'), ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pgPort), '-u', 'temporal', '--db', database, ...args], { stdio: 'pipe' });
    for (const [database, schema] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
      sqlTool(database, 'create-database');
      sqlTool(database, 'setup-schema', '-v', '0.0');
      sqlTool(database, 'update-schema', '--schema-name', `postgresql/v12/${schema}`);
    }

    const root = path.join(dir, 'temporal');
    mkdirSync(path.join(root, 'config'), { recursive: true });
    writeFileSync(path.join(root, 'config', 'omurga.yaml'), serverConfig({ postgres: pgPort, base }));
    const server = new ManagedProcess({
      name: 'temporal-server',
      command: path.join(serverDir, 'server'),
      args: ['--root', root, '--config', 'config', '--env', 'omurga', '--allow-no-auth', 'start'],
      ready: tcpReady('127.0.0.1', base),
      readyTimeoutMs: 90_000,
    });
    server.start(output, supervision);
    started.push(server);
    await server.waitUntilReady();

    const address = `127.0.0.1:${base}`;
    const temporal = (...args: string[]) => execFileSync(cli, [...args, '--address', address], { stdio: 'pipe', timeout: 30_000 });
    // The frontend answers before the namespace registry is ready: retry the first call.
    for (let attempt = 1; ; attempt++) {
      try {
        temporal('operator', 'namespace', 'create', '--namespace', 'default', '--retention', '24h');
        break;
      } catch (error) {
        if (attempt >= 30) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      temporal('operator', 'search-attribute', 'create', '--namespace', 'default', '--name', name, '--type', type);
    }
    return {
      address,
      sql: (query) => execFileSync(path.join(pgBin, 'psql'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'temporal', '-d', 'temporal', '-tAc', query], { encoding: 'utf8' }).trim(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
