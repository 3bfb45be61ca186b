import { z } from 'zod';
import { commissionRateFromEnv } from './commissions.ts';
import { INVOICE_PREFIX_PATTERN } from './invoices/numbering.ts';

const billingEnv = z.object({
  /** the 3-character e-invoice series prefix (GİB), e.g. OMR → OMR2026000000001 */
  INVOICE_SERIES_PREFIX: z.string().regex(INVOICE_PREFIX_PATTERN).default('OMR'),
  /** the seller printed on every invoice */
  SELLER_NAME: z.string().min(1).default('Omurga Yazılım A.Ş.'),
  SELLER_TAX_OFFICE: z.string().min(1).default('Zincirlikuyu'),
  SELLER_TAX_ID: z.string().min(1).default('1234567890'),
  SELLER_ADDRESS: z.string().min(1).default('Esentepe Mah. Büyükdere Cad. No:1, Şişli/İstanbul'),
});

/** billing's own settings (the payment provider's are read by selectPaymentProvider, the commission rate by commissionRateFromEnv). */
export function loadBillingConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = billingEnv.parse(env);
  return {
    invoicePrefix: parsed.INVOICE_SERIES_PREFIX,
    commissionRateBasisPoints: commissionRateFromEnv(env),
    seller: { name: parsed.SELLER_NAME, taxOffice: parsed.SELLER_TAX_OFFICE, taxId: parsed.SELLER_TAX_ID, address: parsed.SELLER_ADDRESS },
  };
}
