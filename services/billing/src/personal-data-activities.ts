import type { Client } from '@temporalio/client';
import { rememberingReports } from '@omurga/shared';
import type { PersonalDataActivities } from '@omurga/shared/contracts';
import { BILLING_DATA_INVENTORY } from './data-inventory.ts';
import type { BillingModels } from './models/index.ts';
import { destroyExpired, eraseSubject, exportSubject } from './personal-data.ts';

/** billing's side of CON-5/6/7/9, served on its own task queue. */
export function billingPersonalDataActivities(models: BillingModels, temporal: Client): PersonalDataActivities {
  return rememberingReports<PersonalDataActivities>(models.Invoice.db, {
    exportPersonalData: async ({ subject }) => ({ service: 'billing', data: await exportSubject(models, subject) }),
    erasePersonalData: ({ subject }) => eraseSubject(models, temporal, subject, new Date()),
    dataInventory: async () => [...BILLING_DATA_INVENTORY],
    destroyExpiredPersonalData: ({ now }) => destroyExpired(models, new Date(now)),
  });
}
