import { DEV_TEMPORAL_PAYLOAD_KEYS } from '../config.ts';

/** `NODE_ENV=production`: introspection and suggestions off, subgraphs closed, development secrets refused. */
export const isProduction = (env: NodeJS.ProcessEnv = process.env) => env.NODE_ENV === 'production';

/** Gateway <-> subgraph secret of local runs and tests; refused in production. */
export const DEV_GATEWAY_SHARED_SECRET = 'omurga-local-gateway-shared-secret';

/** The operator passwords local runs and the tests seed; refused in production. */
const DEV_OPERATOR_PASSWORDS = new Set(['Omurga-Local-Operator-1', 'E2e-Operator-Password-1']);
/** consent's development HMAC key (services/consent/src/unsubscribe.ts). */
const DEV_UNSUBSCRIBE_SECRET = 'omurga-dev-unsubscribe-secret-change-me';

export type ProcessRole = 'gateway' | 'accounts' | 'billing' | 'consent' | 'support' | 'worker';

interface SecretRule {
  name: string;
  roles: readonly ProcessRole[] | 'all';
  /** a problem with the value, or undefined when it is fit for production */
  problem(value: string | undefined, env: NodeJS.ProcessEnv): string | undefined;
}

const strongSecret = (devValue: string) => (value: string | undefined) => {
  if (!value) return 'not set';
  if (value === devValue) return 'is the development default';
  if (value.length < 32) return 'shorter than 32 characters';
  return undefined;
};

const SECRET_RULES: SecretRule[] = [
  { name: 'GATEWAY_SHARED_SECRET', roles: ['gateway', 'accounts', 'billing', 'consent', 'support'], problem: strongSecret(DEV_GATEWAY_SHARED_SECRET) },
  {
    name: 'TEMPORAL_PAYLOAD_KEYS',
    roles: ['accounts', 'billing', 'consent', 'support', 'worker'],
    problem: (value) => {
      if (!value) return 'not set';
      const devKey = DEV_TEMPORAL_PAYLOAD_KEYS.split(':')[1]!;
      return value.split(',').some((entry) => entry.trim() === DEV_TEMPORAL_PAYLOAD_KEYS || entry.includes(devKey)) ? 'contains the development key' : undefined;
    },
  },
  { name: 'CONSENT_UNSUBSCRIBE_SECRET', roles: ['consent'], problem: strongSecret(DEV_UNSUBSCRIBE_SECRET) },
  {
    name: 'ACCOUNTS_SIGNING_JWKS',
    roles: ['accounts'],
    // A key generated into the database is readable by anyone with database access.
    problem: (value, env) => (value || env.ACCOUNTS_SIGNING_JWK ? undefined : 'not set (production signs with keys from a secret store, not the database)'),
  },
  {
    name: 'BOOTSTRAP_OPERATOR_PASSWORD',
    roles: ['accounts'],
    problem: (value) => (value && DEV_OPERATOR_PASSWORDS.has(value) ? 'is a development default' : undefined),
  },
];

/** Every development secret or default key the process would run with in production, with what to set. */
export function developmentSecretProblems(role: ProcessRole, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!isProduction(env)) return [];
  return SECRET_RULES.filter((rule) => rule.roles === 'all' || rule.roles.includes(role)).flatMap((rule) => {
    const problem = rule.problem(env[rule.name], env);
    return problem ? [`${rule.name}: ${problem}`] : [];
  });
}

/**
 * Refuses to start a production process on development secrets: prints what to
 * set and exits with code 78 (EX_CONFIG) before anything listens or connects.
 */
export function refuseDevelopmentSecrets(role: ProcessRole, env: NodeJS.ProcessEnv = process.env): void {
  const problems = developmentSecretProblems(role, env);
  if (problems.length === 0) return;
  process.stderr.write(
    `${role}: refusing to start with NODE_ENV=production and development secrets. Set:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      'See README "Request limits and production profile".\n',
  );
  process.exit(78);
}
