import { parsePayloadKeys } from '@omurga/shared/temporal';
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { retrySchedule } from './retry-schedule.ts';

/** Local runs and tests only: set WEBHOOK_SECRET_KEYS in production (32 random bytes, `id:base64`). */
const DEV_WEBHOOK_SECRET_KEYS = 'local:b21odXJnYS1sb2NhbC13ZWJob29rLXNlY3JldC1rZXk=';

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const schema = z.object({
  WEBHOOK_SECRET_KEYS: z.string().default(DEV_WEBHOOK_SECRET_KEYS),
  /** comma-separated IPs or CIDRs that may be targets although private or loopback (local receivers, tests) */
  WEBHOOK_ALLOWED_TARGETS: z.string().default(''),
  WEBHOOK_RETRY_INITIAL_SECONDS: seconds(30),
  WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: seconds(12 * 3600),
  /** retries go on until this long after the first attempt */
  WEBHOOK_RETRY_SPAN_SECONDS: seconds(3 * 24 * 3600),
  WEBHOOK_TIMEOUT_SECONDS: seconds(15),
});

export interface WebhookSettings {
  secretKeys: ReturnType<typeof parsePayloadKeys>;
  /** the built-in local key seals the secrets: fine locally, a warning in production */
  developmentKey: boolean;
  allowedTargets: BlockList;
  retryDelaysSeconds: number[];
  timeoutMs: number;
}

/** Webhook settings from the environment (see README "Webhooks"). */
export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const parsed = schema.parse(env);
  const allowedTargets = new BlockList();
  for (const entry of parsed.WEBHOOK_ALLOWED_TARGETS.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '');
    if (!family) throw new Error(`WEBHOOK_ALLOWED_TARGETS: ${entry} is not an IP address or CIDR`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) allowedTargets.addAddress(address!, type);
    else allowedTargets.addSubnet(address!, Number(prefix), type);
  }
  return {
    secretKeys: parsePayloadKeys(parsed.WEBHOOK_SECRET_KEYS),
    developmentKey: parsed.WEBHOOK_SECRET_KEYS.includes(DEV_WEBHOOK_SECRET_KEYS.split(':')[1]!),
    allowedTargets,
    retryDelaysSeconds: retrySchedule({
      initialSeconds: parsed.WEBHOOK_RETRY_INITIAL_SECONDS,
      maxIntervalSeconds: parsed.WEBHOOK_RETRY_MAX_INTERVAL_SECONDS,
      spanSeconds: parsed.WEBHOOK_RETRY_SPAN_SECONDS,
    }),
    timeoutMs: parsed.WEBHOOK_TIMEOUT_SECONDS * 1000,
  };
}
