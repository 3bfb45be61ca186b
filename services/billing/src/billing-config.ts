import { z } from 'zod';
import { commissionRateFromEnv } from './commissions.ts';
import { DECIMAL_RATE, sandboxExchangeRates } from './invoices/exchange-rates.ts';
import { INVOICE_PREFIX_PATTERN } from './invoices/numbering.ts';

const billingEnv = z.object({
  /** the 3-character e-invoice series prefix (GİB), e.g. OMR → OMR2026000000001 */
  INVOICE_SERIES_PREFIX: z.string().regex(INVOICE_PREFIX_PATTERN).default('OMR'),
  /** credit notes (iade faturası, issue 15) are numbered in a series of their own: another 3-character prefix, e.g. IAD2026000000001 */
  CREDIT_NOTE_SERIES_PREFIX: z.string().regex(INVOICE_PREFIX_PATTERN).default('IAD'),
  /** the seller printed on every invoice */
  SELLER_NAME: z.string().min(1).default('Omurga Yazılım A.Ş.'),
  SELLER_TAX_OFFICE: z.string().min(1).default('Zincirlikuyu'),
  SELLER_TAX_ID: z.string().min(1).default('1234567890'),
  SELLER_ADDRESS: z.string().min(1).default('Esentepe Mah. Büyükdere Cad. No:1, Şişli/İstanbul'),
  SELLER_CITY: z.string().min(1).default('İstanbul'),
  SELLER_DISTRICT: z.string().min(1).default('Şişli'),
  /** the UBL-TR profile of invoices to companies (VKN): TEMELFATURA, or TICARIFATURA when the seller uses commercial invoices */
  EINVOICE_COMPANY_PROFILE: z.enum(['TEMELFATURA', 'TICARIFATURA']).default('TEMELFATURA'),
  /** who receives the UBL-TR documents for GİB; only the sandbox exists (no integrator can be reached from here) */
  EINVOICE_INTEGRATOR: z.enum(['sandbox']).default('sandbox'),
  /** where foreign-currency invoices take their TRY rate; only the sandbox (fixed rates below) exists */
  EXCHANGE_RATE_SOURCE: z.enum(['sandbox']).default('sandbox'),
  SANDBOX_USD_TRY_RATE: z.string().regex(DECIMAL_RATE).default('41.2500'),
}).refine((env) => env.CREDIT_NOTE_SERIES_PREFIX !== env.INVOICE_SERIES_PREFIX, {
  path: ['CREDIT_NOTE_SERIES_PREFIX'],
  message: 'credit notes need a series prefix of their own, not the invoices\' one',
});

/** billing's own settings (the payment provider's are read by selectPaymentProvider, the commission rate by commissionRateFromEnv). */
export function loadBillingConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = billingEnv.parse(env);
  return {
    invoicePrefix: parsed.INVOICE_SERIES_PREFIX,
    creditNotePrefix: parsed.CREDIT_NOTE_SERIES_PREFIX,
    commissionRateBasisPoints: commissionRateFromEnv(env),
    seller: { name: parsed.SELLER_NAME, taxOffice: parsed.SELLER_TAX_OFFICE, taxId: parsed.SELLER_TAX_ID, address: parsed.SELLER_ADDRESS },
    eInvoice: {
      companyProfile: parsed.EINVOICE_COMPANY_PROFILE,
      integrator: parsed.EINVOICE_INTEGRATOR,
      sellerPlace: { district: parsed.SELLER_DISTRICT, city: parsed.SELLER_CITY },
    },
    exchangeRates: sandboxExchangeRates({ USD: parsed.SANDBOX_USD_TRY_RATE }),
  };
}
