import { PERSONAL_DATA_SERVICES, type DataInventoryEntry } from '@omurga/shared/contracts';
import { servicesInventory } from './service-activities.ts';

/** CON-7: every service's declared data inventory, gathered for the consent service's query. */
export async function dataInventoryWorkflow(): Promise<DataInventoryEntry[]> {
  const parts = await Promise.all(PERSONAL_DATA_SERVICES.map((service) => servicesInventory[service].dataInventory()));
  return parts.flat();
}
