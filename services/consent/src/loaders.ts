import { entityLoader, groupLoader } from '@omurga/shared';
import type { ConsentEventDoc, ConsentModels, DataSubjectRequestDoc, LegalDocumentVersionDoc } from './models.ts';

export function consentLoaders(models: ConsentModels) {
  return {
    legalDocumentVersion: entityLoader((ids) => models.LegalDocumentVersion.find({ _id: { $in: ids } }).lean<LegalDocumentVersionDoc[]>()),
    dataSubjectRequest: entityLoader((ids) => models.DataSubjectRequest.find({ _id: { $in: ids } }).lean<DataSubjectRequestDoc[]>()),
    consentEventsOfUser: groupLoader(
      (userIds) => models.ConsentEvent.find({ userId: { $in: userIds } }).sort({ at: 1, _id: 1 }).lean<ConsentEventDoc[]>(),
      (e) => e.userId,
    ),
    requestsOfUser: groupLoader(
      (userIds) => models.DataSubjectRequest.find({ userId: { $in: userIds } }).sort({ receivedAt: 1 }).lean<DataSubjectRequestDoc[]>(),
      (r) => r.userId,
    ),
  };
}
export type ConsentLoaders = ReturnType<typeof consentLoaders>;
