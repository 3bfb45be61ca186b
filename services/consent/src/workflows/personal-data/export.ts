import { PERSONAL_DATA_SERVICES, type DataSubject, type PersonalDataExportInput } from '@omurga/shared/contracts';
import { ActivityFailure } from '@temporalio/workflow';
import { personalDataRecords, servicesExport, subjectDirectory } from './service-activities.ts';

/**
 * CON-5 ACCESS and CON-9: assembles what every service holds about a person
 * or an organisation and hands it to the consent service, which keeps the
 * export for download. Each part travels through the workflow history, so a
 * part is bounded by Temporal's payload limit (2 MB by default); a service that
 * cannot give its part after a few attempts marks the export FAILED.
 */
export async function personalDataExportWorkflow(input: PersonalDataExportInput): Promise<{ exportId: string; services: string[] }> {
  const subject: DataSubject =
    input.subject.kind === 'PERSON' ? await subjectDirectory.describeDataSubject({ userId: input.subject.userId }) : input.subject;
  let parts: Awaited<ReturnType<(typeof servicesExport)['accounts']['exportPersonalData']>>[];
  try {
    parts = await Promise.all(PERSONAL_DATA_SERVICES.map((service) => servicesExport[service].exportPersonalData({ subject })));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    await personalDataRecords.failPersonalDataExport({ exportId: input.exportId, reason: error.cause?.message ?? error.message, at: new Date(Date.now()).toISOString() });
    return { exportId: input.exportId, services: [] };
  }
  await personalDataRecords.storePersonalDataExport({ exportId: input.exportId, parts, at: new Date(Date.now()).toISOString() });
  return { exportId: input.exportId, services: parts.map((p) => p.service) };
}
