import { isDuplicateKeyError, rememberingReports } from '@omurga/shared';
import type { PersonalDataActivities, PersonalDataRecordActivities } from '@omurga/shared/contracts';
import { CONSENT_DATA_INVENTORY } from '../data-inventory.ts';
import type { ConsentModels } from '../models.ts';
import { destroyExpired, eraseSubject, exportSubject } from './consent-data.ts';

const DESTRUCTION_RECORD_YEARS = 3;

const yearsAfter = (from: Date, years: number) => {
  const until = new Date(from);
  until.setUTCFullYear(until.getUTCFullYear() + years);
  return until;
};

/** Inserts an append-only record once: a retried activity finds its own earlier insert. */
async function insertOnce(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** The consent service's personal-data activities (its own data) and the records it keeps of the platform's (CON-5/6/7/9). */
export function consentPersonalDataActivities(models: ConsentModels): PersonalDataActivities & PersonalDataRecordActivities {
  const own = rememberingReports<PersonalDataActivities>(models.DestructionRecord.db, {
    exportPersonalData: async ({ subject }) => ({ service: 'consent', data: await exportSubject(models, subject) }),
    erasePersonalData: ({ subject }) => eraseSubject(models, subject),
    dataInventory: async () => [...CONSENT_DATA_INVENTORY],
    destroyExpiredPersonalData: ({ now }) => destroyExpired(models, new Date(now)),
  });
  return {
    ...own,

    async recordDestruction({ erasureId, subject, reason, requestId, reports, completedAt }) {
      const at = new Date(completedAt);
      await insertOnce(() =>
        models.DestructionRecord.create({
          erasureId,
          subjectKind: subject.kind,
          subjectId: subject.kind === 'PERSON' ? subject.userId : subject.organizationId,
          organizationIds: subject.kind === 'PERSON' ? subject.organizationIds : [],
          reason,
          requestId,
          method: 'erasure and anonymisation; crypto-shredding of details in append-only records',
          completedAt: at,
          reports,
          retainUntil: yearsAfter(at, DESTRUCTION_RECORD_YEARS),
        }),
      );
    },

    async storePersonalDataExport({ exportId, parts, at }) {
      const content = JSON.stringify({ exportedAt: at, format: 'omurga-personal-data-export/1', services: Object.fromEntries(parts.map((p) => [p.service, p.data])) });
      await models.PersonalDataExport.updateOne(
        { _id: exportId },
        { $set: { status: 'READY', content, services: parts.map((p) => p.service), readyAt: new Date(at) } },
      );
    },

    async failPersonalDataExport({ exportId, reason, at }) {
      await models.PersonalDataExport.updateOne({ _id: exportId, status: 'PREPARING' }, { $set: { status: 'FAILED', failure: reason.slice(0, 500), readyAt: new Date(at) } });
    },

    async recordDestructionRun({ runId, startedAt, completedAt, reports }) {
      const done = new Date(completedAt);
      await insertOnce(() =>
        models.DestructionRun.create({ runId, startedAt: new Date(startedAt), completedAt: done, reports, retainUntil: yearsAfter(done, DESTRUCTION_RECORD_YEARS) }),
      );
    },
  };
}
