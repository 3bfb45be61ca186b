/**
 * Where the TRY rate of a foreign-currency invoice comes from (VUK art. 215:
 * foreign-currency amounts are converted at the Central Bank's buying rate).
 * The rate used is stored on the invoice at issue and printed in its UBL-TR
 * PricingExchangeRate, so later downloads never re-read a moving rate.
 */
export interface ExchangeRateSource {
  readonly name: string;
  /** TRY per one unit of `currency` at `at`, as a decimal string (e.g. "41.2500") */
  tryPer(currency: string, at: Date): Promise<string>;
}

export const DECIMAL_RATE = /^\d{1,6}(\.\d{1,6})?$/;

/**
 * Fixed rates from configuration, for local runs and tests: no central bank
 * can be reached here. A production source (TCMB's daily XML) implements the
 * same interface.
 */
export function sandboxExchangeRates(rates: Readonly<Record<string, string>>): ExchangeRateSource {
  return {
    name: 'sandbox',
    async tryPer(currency) {
      const rate = rates[currency];
      if (!rate) throw new Error(`no sandbox exchange rate for ${currency}`);
      return rate;
    },
  };
}
