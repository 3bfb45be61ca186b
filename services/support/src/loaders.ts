import { entityLoader } from '@omurga/shared';
import type { SupportModels, TicketDoc } from './models.ts';

export function supportLoaders(models: SupportModels) {
  return {
    ticket: entityLoader<TicketDoc>(models.Ticket),
  };
}
export type SupportLoaders = ReturnType<typeof supportLoaders>;
