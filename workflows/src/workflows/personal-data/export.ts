import { PERSONAL_DATA_SERVICES, type DataSubject, type PersonalDataExportInput } from '../../contracts/personal-data.ts';
import { personalDataRecords, servicesPersonalData, subjectDirectory } from './service-activities.ts';

/**
 * CON-5 ACCESS and CON-9: assembles what every service holds about a person
 * or an organisation and hands it to the consent service, which keeps the
 * export for download. (Each part travels through the workflow history, so a
 * part is bounded by Temporal's payload limit, 2 MB by default.)
 */
export async function personalDataExportWorkflow(input: PersonalDataExportInput): Promise<{ exportId: string; services: string[] }> {
  const subject: DataSubject =
    input.subject.kind === 'PERSON' ? await subjectDirectory.describeDataSubject({ userId: input.subject.userId }) : input.subject;
  const parts = await Promise.all(PERSONAL_DATA_SERVICES.map((service) => servicesPersonalData[service].exportPersonalData({ subject })));
  await personalDataRecords.storePersonalDataExport({ exportId: input.exportId, parts, at: new Date(Date.now()).toISOString() });
  return { exportId: input.exportId, services: parts.map((p) => p.service) };
}
