import type { Connection } from 'mongoose';
import { z } from 'zod';
import { createIyzicoProvider, type IyzicoOptions } from './iyzico.ts';
import type { PaymentProvider } from './provider.ts';
import { createSandboxProvider } from './sandbox.ts';

const providerEnv = z
  .object({
    PAYMENT_PROVIDER: z.enum(['sandbox', 'iyzico']).default('sandbox'),
    PAYMENT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** sandbox only: answer this long after recording a charge (crash tests) */
    PAYMENT_SANDBOX_DELAY_MS: z.coerce.number().int().min(0).default(0),
    IYZICO_API_KEY: z.string().optional(),
    IYZICO_SECRET_KEY: z.string().optional(),
    IYZICO_BASE_URL: z.url().default('https://sandbox-api.iyzipay.com'),
  })
  .superRefine((env, ctx) => {
    if (env.PAYMENT_PROVIDER !== 'iyzico') return;
    for (const key of ['IYZICO_API_KEY', 'IYZICO_SECRET_KEY'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required when PAYMENT_PROVIDER=iyzico` });
    }
  });

export interface SelectedPaymentProvider {
  provider: PaymentProvider;
  /** how long chargeInvoice waits for the provider before treating the outcome as unknown */
  timeoutMs: number;
}

/**
 * The payment provider the environment asks for (BIL-5): PAYMENT_PROVIDER is
 * `sandbox` (default) or `iyzico` (IYZICO_API_KEY, IYZICO_SECRET_KEY,
 * IYZICO_BASE_URL). Throws at start-up on a missing or invalid setting.
 */
export function selectPaymentProvider(
  env: NodeJS.ProcessEnv,
  db: Connection,
  iyzico: Pick<IyzicoOptions, 'customer' | 'locale'> = {},
): SelectedPaymentProvider {
  const parsed = providerEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`).join('; ');
    throw new Error(`payment provider configuration: ${problems}`);
  }
  const config = parsed.data;
  const provider =
    config.PAYMENT_PROVIDER === 'iyzico'
      ? createIyzicoProvider({ ...iyzico, apiKey: config.IYZICO_API_KEY!, secretKey: config.IYZICO_SECRET_KEY!, baseUrl: config.IYZICO_BASE_URL })
      : createSandboxProvider(db, { delayMs: config.PAYMENT_SANDBOX_DELAY_MS });
  return { provider, timeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS };
}
