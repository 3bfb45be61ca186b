// The gateway benchmark (issue 16): our gateway against a stock @apollo/gateway
// and Hive Gateway (its defaults) on the same supergraph and subgraphs, and
// against the bare subgraph; plus the database commands a federated list of
// 100 entities costs. Boots its own stack on OMURGA_BENCH_PORT_BASE (25500).
// Run: ./platform bench, or `node bench/gateway.bench.ts` with the toolchain's
// OMURGA_FERRETDB_BIN and OMURGA_TEMPORAL_BIN set. Prints a table, then one
// line of JSON (the last line of stdout).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SUBGRAPHS } from '@omurga/shared';
import { ManagedProcess, fileOutput, httpReady, tcpReady } from '../scripts/stack/processes.ts';
import { portBlock, startStack, type RunningStack } from '../scripts/stack/stack.ts';
import { commandsPerRun } from './gateway/db-commands.ts';
import { measure, sample, type Figures, type Load } from './gateway/load.ts';
import { seed } from './gateway/seed.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CONNECTIONS = Number(process.env.BENCH_GATEWAY_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 3);
const OPERATOR = { email: 'bench-operator@omurga.local', password: 'Bench-Operator-Password-1' };
const log = (line: string) => console.error(`[gateway bench] ${line}`);

const PLANS = `query Plans { plans { id code name version interval prices { amountMinor currency } policy { code billingPeriod trialPeriod } } }`;
const ORGANIZATION_FIELDS = `id name customerCode status
  members { role user { id email } }
  subscriptions { id status currency plan { code name } }
  tickets(first: 20) { edges { node { id subject status priority } } }`;
const ORGANIZATION_4 = `query Organization4($id: ID!) { organization(id: $id) { ${ORGANIZATION_FIELDS} dataExports { id status } } }`;
const ORGANIZATION_3 = `query Organization3($id: ID!) { organization(id: $id) { ${ORGANIZATION_FIELDS} } }`;
const TICKETS_100 = `query Tickets100 { supportTickets(first: 100) { edges { node { id subject organization { id name customerCode } } } } }`;
const TICKETS_100_BARE = `query Tickets100Bare { supportTickets(first: 100) { edges { node { id subject } } } }`;

type Target = 'omurga' | 'stock' | 'hive' | 'bare';
interface Case {
  name: string;
  label: string;
  loads: Partial<Record<Target, Load>>;
}

/** The supergraph with the bench stack's subgraph addresses, for the other two gateways. */
function benchSupergraph(stack: RunningStack, dir: string): string {
  let sdl = readFileSync(path.join(ROOT, 'gateway/supergraph.graphql'), 'utf8');
  for (const name of SUBGRAPHS) {
    sdl = sdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1${stack.config.subgraphs[name].url}$2`);
  }
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, sdl);
  cpSync(path.join(import.meta.dirname, 'gateway/hive.config.mjs'), path.join(dir, 'gateway.config.mjs'));
  return file;
}

function otherGateways(supergraph: string, ports: { stock: number; hive: number }) {
  const host = '127.0.0.1';
  return [
    new ManagedProcess({
      name: 'stock-gateway',
      command: process.execPath,
      args: [path.join(import.meta.dirname, 'gateway/stock-gateway.ts'), supergraph, String(ports.stock)],
      cwd: ROOT,
      ready: tcpReady(host, ports.stock),
    }),
    new ManagedProcess({
      name: 'hive-gateway',
      command: process.execPath,
      args: [path.join(import.meta.dirname, 'tools/node_modules/@graphql-hive/gateway/dist/bin.js'), 'supergraph', supergraph, '--host', host, '--port', String(ports.hive)],
      cwd: path.dirname(supergraph),
      ready: httpReady(`http://${host}:${ports.hive}/healthcheck`),
    }),
  ];
}

/**
 * After a run the target keeps answering the requests the load generator gave
 * up on (a gateway that does not merge leaves the database a backlog): wait
 * until one request of the kind goes through, so the next run starts clean.
 */
async function drain(load: Load) {
  for (let i = 0; i < 2; i++) await sample(load).catch(() => undefined);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function main() {
  const base = Number(process.env.OMURGA_BENCH_PORT_BASE ?? 25_500);
  const ports = portBlock(base);
  const others = { stock: base + 17, hive: base + 18 };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omurga-bench-gateway-'));
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  log(`starting a stack on ports ${base}.. (logs in ${logDir})`);
  const stack = await startStack({
    ports,
    dataDir,
    output: fileOutput(logDir),
    mongodbUri: process.env.MONGODB_URI,
    extraEnv: {
      BOOTSTRAP_OPERATOR_EMAIL: OPERATOR.email,
      BOOTSTRAP_OPERATOR_PASSWORD: OPERATOR.password,
      OMURGA_COUNT_DB_COMMANDS: '1',
      // One client address plays every caller here; the limits stay on, out of reach.
      RATE_LIMIT_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_PRINCIPAL_PER_MINUTE: '100000000',
      RATE_LIMIT_SENSITIVE_PER_IP_PER_MINUTE: '100000',
    },
    supervision: { onUnexpectedExit: ({ name, reason }) => log(`${name} exited (${reason})`) },
  });
  const extraOutput = fileOutput(logDir);
  const gateways = otherGateways(benchSupergraph(stack, dataDir), others);
  try {
    for (const gateway of gateways) gateway.start(extraOutput, { onUnexpectedExit: ({ name, reason }) => log(`${name} exited (${reason})`) });
    await Promise.all(gateways.map((g) => g.waitUntilReady()));

    const gw = stack.urls.gateway;
    const seeded = await seed(gw, stack.urls.mailCatcher, OPERATOR, Number(process.env.BENCH_GATEWAY_ENTITIES ?? 100), log);
    const urls: Record<Target, string> = {
      omurga: gw,
      stock: `http://127.0.0.1:${others.stock}/`,
      hive: `http://127.0.0.1:${others.hive}/graphql`,
      bare: stack.config.subgraphs.billing.url,
    };
    const everywhere = (load: Omit<Load, 'url'>, targets: Target[] = ['omurga', 'stock', 'hive']) =>
      Object.fromEntries(targets.map((target) => [target, { ...load, url: urls[target] }])) as Case['loads'];
    const organization = { id: seeded.busy.organizationId };
    const DISTINCT_TOKENS = 10;
    // Built anew for every round: access tokens live 10 minutes.
    const casesWithFreshTokens = async (): Promise<Case[]> => {
      const tokens = await seeded.ownerTokens(DISTINCT_TOKENS);
      return [
        { name: 'plans', label: '`plans` (1 subgraph, anonymous)', loads: everywhere({ query: PLANS }, ['omurga', 'stock', 'hive', 'bare']) },
        { name: 'organization4', label: '`organization` (4 subgraphs, one token)', loads: everywhere({ query: ORGANIZATION_4, variables: organization, tokens: tokens.slice(0, 1) }) },
        { name: 'organization3', label: '`organization` (3 subgraphs, one token)', loads: everywhere({ query: ORGANIZATION_3, variables: organization, tokens: tokens.slice(0, 1) }) },
        {
          name: 'organization4DistinctTokens',
          label: `\`organization\` (4 subgraphs, ${DISTINCT_TOKENS} tokens)`,
          loads: everywhere({ query: ORGANIZATION_4, variables: organization, tokens }),
        },
      ];
    };
    let cases = await casesWithFreshTokens();

    // Every target must give the same answer before it is timed.
    for (const c of cases) {
      const answers = await Promise.all(Object.values(c.loads).map((load) => sample(load!)));
      if (new Set(answers).size !== 1) throw new Error(`${c.name}: the targets answered differently:\n${answers.map((a) => a.slice(0, 300)).join('\n')}`);
    }

    const agent = { tokens: [seeded.agentToken] };
    const subgraphMetrics = SUBGRAPHS.map((name) => stack.urls.metrics[name]!);
    const viaGateway = (query: string) => () => sample({ url: gw, query, ...agent });
    const listed = JSON.parse(await viaGateway(TICKETS_100)()) as { supportTickets: { edges: { node: { organization: { id: string } } }[] } };
    const distinctOrganizations = new Set(listed.supportTickets.edges.map((e) => e.node.organization.id)).size;
    const entityQueries = {
      tickets: listed.supportTickets.edges.length,
      distinctOrganizations,
      withOrganizations: await commandsPerRun(subgraphMetrics, viaGateway(TICKETS_100)),
      listOnly: await commandsPerRun(subgraphMetrics, viaGateway(TICKETS_100_BARE)),
      organization4: await commandsPerRun(subgraphMetrics, () => sample({ url: gw, query: ORGANIZATION_4, variables: organization, tokens: [seeded.busy.token] })),
    };
    log(`database commands: ${JSON.stringify(entityQueries)}`);

    log(`warming up, then ${ROUNDS} interleaved rounds of ${SECONDS} s at ${CONNECTIONS} connections`);
    for (const c of cases) {
      for (const load of Object.values(c.loads)) {
        await measure(load!, CONNECTIONS, 2);
        await drain(load!);
      }
    }
    const runs: Record<string, Partial<Record<Target, Figures[]>>> = {};
    for (let r = 0; r < ROUNDS; r++) {
      cases = await casesWithFreshTokens();
      for (const c of cases) {
        for (const [target, load] of Object.entries(c.loads) as [Target, Load][]) {
          const figures = await measure(load, CONNECTIONS, SECONDS);
          await drain(load);
          ((runs[c.name] ??= {})[target] ??= []).push(figures);
          log(`round ${r + 1} ${c.name} ${target}: ${figures.rps.toFixed(0)} req/s, p99 ${figures.p99Ms} ms${figures.failed ? `, ${figures.failed} failed` : ''}`);
        }
      }
    }

    const results: Record<string, Partial<Record<Target, { rps: number; p99Ms: number; failed: number }>>> = {};
    for (const [name, byTarget] of Object.entries(runs)) {
      for (const [target, figures] of Object.entries(byTarget) as [Target, Figures[]][]) {
        (results[name] ??= {})[target] = {
          rps: round(median(figures.map((f) => f.rps)), 1),
          p99Ms: median(figures.map((f) => f.p99Ms)),
          failed: figures.reduce((sum, f) => sum + f.failed, 0),
        };
      }
    }
    const ratio = (name: string, other: Target) => results[name]!['omurga']!.rps / results[name]![other]!.rps;
    const headline = ['plans', 'organization4', 'organization3'];
    const summary = {
      // A target that served nothing in a query gives no finite ratio there (null per query below).
      gatewayVsStock: round(Math.min(...headline.map((n) => ratio(n, 'stock')))),
      gatewayVsHive: round(Math.min(...headline.map((n) => ratio(n, 'hive')))),
      gatewayVsBare: round(ratio('plans', 'bare')),
      gatewayVsHiveDistinctTokens: round(ratio('organization4DistinctTokens', 'hive')),
      entityQueriesPer100: entityQueries.withOrganizations,
      gatewayEntityCommands: entityQueries,
      gatewayConnections: CONNECTIONS,
      gateway: Object.fromEntries(
        Object.entries(results).map(([name, byTarget]) => [
          name,
          { ...byTarget, vsStock: round(ratio(name, 'stock')), vsHive: round(ratio(name, 'hive')), ...(byTarget.bare ? { vsBare: round(ratio(name, 'bare')) } : {}) },
        ]),
      ),
    };

    const cell = (f?: { rps: number; p99Ms: number }) => (!f ? '—' : f.rps === 0 ? `none served within ${SECONDS} s` : `${f.rps.toFixed(0)} req/s, p99 ${f.p99Ms} ms`);
    const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '∞ (the other served none)');
    console.log(`\nGateway, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${SECONDS} s rounds\n`);
    console.log('| query | Omurga gateway | stock @apollo/gateway | Hive Gateway | bare subgraph | vs stock | vs Hive |');
    console.log('|---|---|---|---|---|---|---|');
    for (const c of cases) {
      const r = results[c.name]!;
      console.log(`| ${c.label} | ${cell(r.omurga)} | ${cell(r.stock)} | ${cell(r.hive)} | ${cell(r.bare)} | ${times(ratio(c.name, 'stock'))} | ${times(ratio(c.name, 'hive'))} |`);
    }
    console.log(
      `\nDatabase commands for ${entityQueries.tickets} tickets of ${entityQueries.distinctOrganizations} organisations with their organisations: ${entityQueries.withOrganizations} ` +
        `(the list alone: ${entityQueries.listOnly}); the 4-subgraph organization query: ${entityQueries.organization4}\n`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    for (const gateway of gateways) await gateway.stop();
    extraOutput.close();
    await stack.stop();
    if (!process.env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
