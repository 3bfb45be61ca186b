// The local database's storage: a PostgreSQL cluster (Debian's packages) of
// the stack's own, in its data directory, on its own port of the block, which
// FerretDB (the MongoDB wire protocol) keeps its collections in. Started and
// stopped with the stack like every other process.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ProcessSpec } from './processes.ts';

/** PostgreSQL refuses to run as root: when we are root, it runs as Debian's postgres user. */
export function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * The spawn spec of a PostgreSQL binary, dropped to the postgres user when we
 * are root. Changing the user clears a parent-death signal set before, so this
 * setpriv sets it again: a killed supervisor still leaves no postmaster behind.
 */
export function asPostgres(command: string, args: string[], user = postgresUser()): Pick<ProcessSpec, 'command' | 'args'> {
  return user
    ? { command: 'setpriv', args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--pdeathsig', 'KILL', '--', command, ...args] }
    : { command, args };
}

/**
 * The postgres user must reach the cluster's directory: the stack's data
 * directory (often a private temporary one of root's) gets the search bit for
 * others; any other closed ancestor is an error that says so.
 */
function openPathTo(dataDir: string, user: { uid: number }) {
  if ((statSync(dataDir).mode & 0o001) === 0) chmodSync(dataDir, statSync(dataDir).mode | 0o001);
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const stat = statSync(dir);
    if (stat.uid !== user.uid && (stat.mode & 0o001) === 0) {
      throw new Error(`PostgreSQL (user postgres) cannot reach ${dataDir}: ${dir} is closed to other users; choose another OMURGA_DATA_DIR`);
    }
  }
}

export const LOCAL_DATABASE_USER = 'omurga';

/**
 * Creates the cluster in `dataDir/postgres` on first use (C collation, so
 * jsonb strings compare bytewise like BSON's) and returns the postmaster.
 */
export function postgresCluster(host: string, port: number, dataDir: string): ProcessSpec {
  const binDir = process.env.OMURGA_POSTGRES_BIN_DIR;
  if (!binDir) throw new Error('OMURGA_POSTGRES_BIN_DIR is not set: start the platform with ./platform, which installs PostgreSQL');
  const user = postgresUser();
  const clusterDir = path.join(dataDir, 'postgres');
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    if (user) {
      openPathTo(dataDir, user);
      chownSync(clusterDir, user.uid, user.gid);
    }
    const initdb = ['-D', clusterDir, '-U', LOCAL_DATABASE_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'];
    execFileSync(path.join(binDir, 'initdb'), initdb, { ...(user ?? {}), stdio: 'pipe' });
  }
  return {
    name: 'postgres',
    ...asPostgres(path.join(binDir, 'postgres'), [
      '-D', clusterDir,
      '-p', String(port),
      '-c', `listen_addresses=${host}`,
      // TCP only: no socket file in a system directory that may not exist.
      '-c', 'unix_socket_directories=',
      // A local stack: a crash may lose the last moments of commits, never consistency.
      '-c', 'synchronous_commit=off',
      '-c', 'max_connections=200',
    ], user),
    // pg_isready: the port opens before the cluster accepts connections.
    ready: () => promisify(execFile)(path.join(binDir, 'pg_isready'), ['-q', '-h', host, '-p', String(port), '-U', LOCAL_DATABASE_USER, '-d', 'postgres']).then(() => true, () => false),
    readyTimeoutMs: 60_000,
  };
}

/** Where FerretDB finds the cluster. */
export function postgresUrl(host: string, port: number): string {
  return `postgres://${LOCAL_DATABASE_USER}@${host}:${port}/postgres`;
}
