import { entityLoader, groupLoader } from '@omurga/shared';
import type { ConsentEventDoc, ConsentModels, DataSubjectRequestDoc, DataSubjectRequestEventDoc, LegalDocumentVersionDoc } from './models.ts';

export function consentLoaders(models: ConsentModels) {
  return {
    legalDocumentVersion: entityLoader<LegalDocumentVersionDoc>(models.LegalDocumentVersion),
    dataSubjectRequest: entityLoader<DataSubjectRequestDoc>(models.DataSubjectRequest),
    consentEventsOfUser: groupLoader(
      (userIds) => models.ConsentEvent.find({ userId: { $in: userIds } }).sort({ at: 1, _id: 1 }).lean<ConsentEventDoc[]>(),
      (e) => e.userId,
    ),
    requestsOfUser: groupLoader(
      (userIds) => models.DataSubjectRequest.find({ userId: { $in: userIds } }).sort({ receivedAt: 1 }).lean<DataSubjectRequestDoc[]>(),
      (r) => r.userId,
    ),
    eventsOfRequest: groupLoader(
      (requestIds) =>
        models.DataSubjectRequestEvent.find({ requestId: { $in: requestIds } }).sort({ at: 1, _id: 1 }).lean<DataSubjectRequestEventDoc[]>(),
      (e) => e.requestId,
    ),
  };
}
export type ConsentLoaders = ReturnType<typeof consentLoaders>;
