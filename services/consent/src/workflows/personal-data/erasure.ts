import { PERSONAL_DATA_SERVICES, type DataSubject, type PersonalDataErasureInput, type PersonalDataErasureResult } from '@omurga/shared/contracts';
import { personalDataRecords, servicesPersonalData, subjectDirectory } from './service-activities.ts';

/**
 * CON-6: erases a person or an organisation everywhere. Accounts first
 * resolves a person into a subject (their e-mail and the organisations that
 * are them) before anything is erased; then every service erases or
 * anonymises what it holds, on its own queue, and reports what it erased and
 * what it kept under which legal basis; the consent service writes the
 * destruction record. Every step is idempotent, so a second run with the same
 * erasureId changes nothing.
 */
export async function personalDataErasureWorkflow(input: PersonalDataErasureInput): Promise<PersonalDataErasureResult> {
  const subject: DataSubject =
    input.subject.kind === 'PERSON' ? await subjectDirectory.describeDataSubject({ userId: input.subject.userId }) : input.subject;
  const reports = await Promise.all(
    PERSONAL_DATA_SERVICES.map((service) => servicesPersonalData[service].erasePersonalData({ subject, erasureId: input.erasureId })),
  );
  await personalDataRecords.recordDestruction({
    erasureId: input.erasureId,
    subject,
    reason: input.reason,
    requestId: input.requestId ?? null,
    reports,
    completedAt: new Date(Date.now()).toISOString(),
  });
  return { erasureId: input.erasureId, reports };
}

