import { entityLoader } from '@omurga/shared';
import type { SupportModels, TicketDoc } from './models.ts';

export function supportLoaders(models: SupportModels) {
  return {
    ticket: entityLoader((ids) => models.Ticket.find({ _id: { $in: ids } }).lean<TicketDoc[]>()),
  };
}
export type SupportLoaders = ReturnType<typeof supportLoaders>;
