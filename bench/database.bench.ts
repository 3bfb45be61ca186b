// Database micro-benchmark (issue 16): the local database's cost per query as
// a collection grows. Boots its own local database (PostgreSQL + FerretDB,
// the stack's own machinery) on OMURGA_BENCH_PORT_BASE (default 27000), fills
// one collection shaped like invoices to 1k, 10k and 50k documents and times
// the query shapes the services run most. Prints a table, then as its last
// stdout line one JSON object (the `./platform bench` contract).
//
//   node bench/database.bench.ts
//   OMURGA_BENCH_DB_ENGINE=sqlite node bench/database.bench.ts   # the former engine, for comparison
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { fileOutput, tcpReady, type ProcessSpec } from '../scripts/stack/processes.ts';
import { localDatabase, startPhases } from '../scripts/stack/stack.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SIZES = [1_000, 10_000, 50_000];
/** documents per organisation: a list of one organisation's invoices stays this long at every size */
const PER_ORGANIZATION = 20;
/** calls per shape; engines that scan whole collections (the former one, or OMURGA_BENCH_DB_FEW_ROUNDS=1 for another build) get fewer */
const FEW_ROUNDS = process.env.OMURGA_BENCH_DB_ENGINE === 'sqlite' || process.env.OMURGA_BENCH_DB_FEW_ROUNDS === '1';
const ROUNDS = FEW_ROUNDS ? { point: 20, in: 5, list: 10 } : { point: 200, in: 40, list: 100 };

/** The binaries ./platform provides; when run on its own, the toolchain script finds (or builds) them. */
function toolchainEnv() {
  if (process.env.OMURGA_FERRETDB_BIN && process.env.OMURGA_POSTGRES_BIN_DIR) return;
  const script = `ROOT=${JSON.stringify(ROOT)}; source scripts/lib/toolchain.sh; ensure_postgres; ensure_ferretdb; echo "$OMURGA_FERRETDB_BIN"; echo "$OMURGA_POSTGRES_BIN_DIR"`;
  const [ferretdb, postgres] = execFileSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
  process.env.OMURGA_FERRETDB_BIN = ferretdb;
  process.env.OMURGA_POSTGRES_BIN_DIR = postgres;
}

function databasePhases(engine: string, port: number, dataDir: string): ProcessSpec[][] {
  if (engine === 'sqlite') {
    return [[{ name: 'ferretdb', command: process.env.OMURGA_FERRETDB_BIN!, args: ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', path.join(dataDir, 'sqlite')], ready: tcpReady('127.0.0.1', port) }]];
  }
  return localDatabase('127.0.0.1', { database: port, postgres: port + 8 }, dataDir);
}

const ObjectId = mongoose.mongo.ObjectId;
type Doc = { _id: InstanceType<typeof ObjectId>; organizationId: InstanceType<typeof ObjectId>; number: string; status: string; total: number; issuedAt: Date };

async function grow(collection: mongoose.mongo.Collection<Doc>, docs: Doc[], size: number) {
  const organizations = Array.from({ length: Math.ceil(size / PER_ORGANIZATION) }, () => new ObjectId());
  for (let i = docs.length; i < size; i++) {
    docs.push({ _id: new ObjectId(), organizationId: organizations[i % organizations.length]!, number: `INV${String(i).padStart(9, '0')}`, status: i % 10 ? 'PAID' : 'OPEN', total: i % 997, issuedAt: new Date(1_700_000_000_000 + i * 1000) });
  }
  const fresh = docs.slice(await collection.countDocuments());
  for (let i = 0; i < fresh.length; i += 1_000) await collection.insertMany(fresh.slice(i, i + 1_000), { ordered: false });
}

/** mean milliseconds per call over `rounds`, after a short warm-up */
async function time(rounds: number, query: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await query(i);
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await query(i);
  return (performance.now() - start) / rounds;
}

const pick = <T>(docs: T[], i: number) => docs[(i * 7_919) % docs.length]!;

async function measure(collection: mongoose.mongo.Collection<Doc>, docs: Doc[]) {
  return {
    '_id equality': await time(ROUNDS.point, (i) => collection.findOne({ _id: pick(docs, i)._id })),
    'indexed field equality': await time(ROUNDS.point, (i) => collection.findOne({ number: pick(docs, i).number })),
    '$in of 100 _ids': await time(ROUNDS.in, (i) => collection.find({ _id: { $in: Array.from({ length: 100 }, (_, k) => pick(docs, i * 100 + k)._id) } }).toArray()),
    "one organisation's list, sorted, limit 10": await time(ROUNDS.list, (i) => collection.find({ organizationId: pick(docs, i).organizationId }).sort({ _id: -1 }).limit(10).toArray()),
    'open ones (10 %), sorted, page 2 of 20': await time(ROUNDS.list, () => collection.find({ status: 'OPEN' }).sort({ _id: -1 }).skip(20).limit(20).toArray()),
    'newest 20 of all': await time(ROUNDS.list, () => collection.find({}).sort({ _id: -1 }).limit(20).toArray()),
    'update by _id': await time(ROUNDS.point, (i) => collection.updateOne({ _id: pick(docs, i)._id }, { $inc: { total: 1 } })),
  };
}

async function main() {
  const engine = process.env.OMURGA_BENCH_DB_ENGINE ?? 'postgresql';
  const base = Number(process.env.OMURGA_BENCH_PORT_BASE ?? 27_000);
  toolchainEnv();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omurga-bench-db-'));
  const database = await startPhases(databasePhases(engine, base, dataDir), fileOutput(dataDir), { onUnexpectedExit: ({ name, reason }) => console.error(`${name} exited (${reason})`) });
  const connection = await mongoose.createConnection(`mongodb://127.0.0.1:${base}/bench`).asPromise();
  try {
    const collection = connection.db!.collection<Doc>('invoices');
    await collection.createIndexes([{ key: { number: 1 }, unique: true }, { key: { organizationId: 1, _id: -1 } }, { key: { status: 1, _id: -1 } }]);
    const docs: Doc[] = [];
    const results: Record<number, Record<string, number>> = {};
    for (const size of SIZES) {
      await grow(collection, docs, size);
      results[size] = await measure(collection, docs);
    }

    // Writes are serialised in FerretDB (infra/ferretdb/atomic-writes.patch): what many writers get together.
    const writers = 8;
    const perWriter = ROUNDS.point / 4;
    const writesStart = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) await collection.updateOne({ _id: pick(docs, w * perWriter + i)._id }, { $inc: { total: 1 } });
      }),
    );
    const writesPerSecond = (writers * perWriter) / ((performance.now() - writesStart) / 1000);

    const shapes = Object.keys(results[SIZES[0]!]!);
    const cell = (ms: number) => ms.toFixed(2).padStart(9);
    console.log(`\nLocal database (${engine === 'sqlite' ? 'FerretDB on SQLite, the former engine' : 'FerretDB on PostgreSQL'}), ms per query`);
    console.log(`${'query shape'.padEnd(44)}${SIZES.map((s) => `${s / 1000}k docs`.padStart(9)).join('')}   50k/1k`);
    for (const shape of shapes) {
      const row = SIZES.map((s) => results[s]![shape]!);
      console.log(`${shape.padEnd(44)}${row.map(cell).join('')}   ${(row[2]! / row[0]!).toFixed(2)}×`);
    }
    console.log(`${writers} concurrent writers at ${SIZES.at(-1)! / 1000}k docs: ${writesPerSecond.toFixed(0)} updates/s`);
    const mean = (size: number) => shapes.reduce((sum, s) => sum + results[size]![s]!, 0) / shapes.length;
    const round = (n: number) => Math.round(n * 100) / 100;
    console.log(
      JSON.stringify({
        dbEngine: engine,
        dbQueryMsAt1k: round(mean(1_000)),
        dbQueryMsAt10k: round(mean(10_000)),
        dbQueryMsAt50k: round(mean(50_000)),
        dbCostGrowth1kTo50k: round(mean(50_000) / mean(1_000)),
        dbInQueryMsAt50k: round(results[50_000]!['$in of 100 _ids']!),
        dbWritesPerSecond: Math.round(writesPerSecond),
      }),
    );
  } finally {
    await connection.close();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
