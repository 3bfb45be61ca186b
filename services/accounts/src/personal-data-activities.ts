import { ApplicationFailure } from '@temporalio/common';
import { rememberingReports } from '@omurga/shared';
import { DATA_SUBJECT_NOT_FOUND, type DataSubjectDirectory, type PersonalDataActivities } from '@omurga/shared/contracts';
import { ACCOUNTS_DATA_INVENTORY } from './data-inventory.ts';
import type { AccountsModels } from './models.ts';
import { LifecycleError, changeOrganization } from './organization-lifecycle.ts';
import { describeDataSubject, destroyExpired, eraseSubject, exportSubject } from './personal-data.ts';

/**
 * accounts' side of CON-5/6/7/9, served on its own task queue. Erasing an
 * organisation is the last step of its life (ACC-6): only a terminated one
 * can be erased, and the erasure moves it to ERASED.
 */
export function accountsPersonalDataActivities(models: AccountsModels): PersonalDataActivities & DataSubjectDirectory {
  return rememberingReports<PersonalDataActivities & DataSubjectDirectory>(models.User.db, {
    async describeDataSubject({ userId }) {
      const subject = await describeDataSubject(models, userId);
      if (!subject) throw ApplicationFailure.nonRetryable(`user ${userId} does not exist`, DATA_SUBJECT_NOT_FOUND);
      return subject;
    },
    exportPersonalData: async ({ subject }) => ({ service: 'accounts', data: await exportSubject(models, subject) }),
    async erasePersonalData({ subject, erasureId }) {
      if (subject.kind === 'ORGANIZATION') {
        try {
          await changeOrganization(models, subject.organizationId, { type: 'erase' }, { kind: 'workflow', id: erasureId });
        } catch (error) {
          if (error instanceof LifecycleError) throw ApplicationFailure.nonRetryable(error.message, error.code);
          throw error;
        }
      }
      return eraseSubject(models, subject);
    },
    dataInventory: async () => [...ACCOUNTS_DATA_INVENTORY],
    destroyExpiredPersonalData: ({ now }) => destroyExpired(models, new Date(now)),
  });
}
