import DataLoader from 'dataloader';
import { groupedByKey } from '@omurga/shared';
import type { ConsentEventDoc, ConsentModels, DataSubjectRequestDoc } from './models.ts';

export function consentLoaders(models: ConsentModels) {
  return {
    consentEventsOfUser: new DataLoader<string, ConsentEventDoc[]>(async (userIds) => {
      const rows = await models.ConsentEvent.find({ userId: { $in: [...userIds] } }).sort({ at: 1, _id: 1 }).lean<ConsentEventDoc[]>();
      return groupedByKey(userIds, rows, (e) => e.userId);
    }),
    requestsOfUser: new DataLoader<string, DataSubjectRequestDoc[]>(async (userIds) => {
      const rows = await models.DataSubjectRequest.find({ userId: { $in: [...userIds] } }).sort({ receivedAt: 1 }).lean<DataSubjectRequestDoc[]>();
      return groupedByKey(userIds, rows, (r) => r.userId);
    }),
  };
}
export type ConsentLoaders = ReturnType<typeof consentLoaders>;
