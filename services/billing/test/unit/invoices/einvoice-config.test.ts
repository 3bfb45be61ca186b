// Issue 15: the e-invoice settings are read at start-up; a wrong value stops the service there.
import { createConnection, type Connection } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBillingConfig } from '../../../src/billing-config.ts';
import { selectEInvoiceIntegrator } from '../../../src/einvoice/sandbox.ts';

// never connected: models can be registered on it, nothing talks to a database
const db: Connection = createConnection();
afterAll(() => db.close());

describe('e-invoice configuration (issue 15)', () => {
  it('defaults to TEMELFATURA, the sandbox integrator and the sandbox USD rate', async () => {
    const config = loadBillingConfig({});
    expect(config.eInvoice).toMatchObject({ companyProfile: 'TEMELFATURA', integrator: 'sandbox' });
    expect(config.exchangeRates.name).toBe('sandbox');
    expect(await config.exchangeRates.tryPer('USD', new Date())).toBe('41.2500');
    await expect(config.exchangeRates.tryPer('EUR', new Date())).rejects.toThrow(/EUR/);
    const integrator = selectEInvoiceIntegrator(config.eInvoice.integrator, db);
    expect(integrator.name).toBe('sandbox');
    expect(db.models.SandboxEInvoice?.collection.collectionName).toBe('sandbox_einvoices');
  });

  it('reads TICARIFATURA and the configured rate', async () => {
    const config = loadBillingConfig({ EINVOICE_COMPANY_PROFILE: 'TICARIFATURA', SANDBOX_USD_TRY_RATE: '39.875' });
    expect(config.eInvoice.companyProfile).toBe('TICARIFATURA');
    expect(await config.exchangeRates.tryPer('USD', new Date())).toBe('39.875');
  });

  it('refuses an unknown integrator, profile or a rate that is not a decimal', () => {
    expect(() => loadBillingConfig({ EINVOICE_INTEGRATOR: 'foriba' })).toThrow(/EINVOICE_INTEGRATOR/);
    expect(() => loadBillingConfig({ EINVOICE_COMPANY_PROFILE: 'EARSIVFATURA' })).toThrow(/EINVOICE_COMPANY_PROFILE/);
    expect(() => loadBillingConfig({ SANDBOX_USD_TRY_RATE: '41,25' })).toThrow(/SANDBOX_USD_TRY_RATE/);
  });
});
