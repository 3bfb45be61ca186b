/**
 * Personal data across the platform (CON-5 ACCESS, CON-6, CON-7, CON-9): what
 * every data-owning service offers, under the same activity names, on its own
 * task queue. A workflow reaches a service's data only through these, so the
 * rules for what is erased, kept or exported live next to that service's models.
 */

/** Whose data: a natural person (a user) or a customer organisation. */
export type DataSubject =
  | {
      kind: 'PERSON';
      userId: string;
      /** the person's e-mail, captured before accounts erased it (other services key outboxes by address) */
      email: string | null;
      /**
       * organisations that are this person (INDIVIDUAL customers the person
       * alone owned): their organisation-level data goes with the person
       */
      organizationIds: string[];
    }
  | { kind: 'ORGANIZATION'; organizationId: string };

/** One category of personal data a service holds (CON-7), declared next to its models. */
export interface DataInventoryEntry {
  service: string;
  /** the collection (or a field group in it) */
  collection: string;
  fields: string[];
  /** whose data: customer users, end users, operators, card holders … */
  dataSubjects: string;
  purpose: string;
  /** KVKK art. 5/6 basis, or the law that obliges keeping it */
  legalBasis: string;
  /** ISO-8601 duration after the retention trigger, e.g. P10Y */
  retention: string;
  /** what starts the retention period */
  retentionTrigger: string;
  recipients: string[];
}

/** What one service erased and kept for a subject (one line of the destruction record). */
export interface ErasureLine {
  collection: string;
  /** what it is, in words an auditor reads */
  description: string;
  count: number;
}

export interface KeptLine extends ErasureLine {
  legalBasis: string;
  /** ISO-8601 day until which it is kept; null while it cannot be computed (e.g. open invoice) */
  keptUntil: string | null;
  /** access limited to the roles that need it while kept (KVKK: "erişimi kısıtlanmış") */
  restricted: boolean;
}

export interface ServiceErasureReport {
  service: string;
  erased: ErasureLine[];
  kept: KeptLine[];
}


export interface PersonalDataActivities {
  /** Everything this service holds about the subject, as JSON-safe data (CON-5 ACCESS, CON-9). */
  exportPersonalData(input: { subject: DataSubject }): Promise<{ service: string; data: Record<string, unknown> }>;
  /** Erases or anonymises what the service holds, reports what it erased and what it kept. Idempotent. */
  erasePersonalData(input: { subject: DataSubject; erasureId: string }): Promise<ServiceErasureReport>;
  /** The service's declared data inventory (CON-7). */
  dataInventory(): Promise<DataInventoryEntry[]>;
  /** Periodic destruction: destroys what outlived its retention period as of `now` (CON-7). */
  destroyExpiredPersonalData(input: { now: string; runId: string }): Promise<ServiceErasureReport>;
}

/** The services that hold personal data; each serves PersonalDataActivities on its own queue. */
export const PERSONAL_DATA_SERVICES = ['accounts', 'billing', 'consent', 'support'] as const;
export type PersonalDataService = (typeof PERSONAL_DATA_SERVICES)[number];

/** Raised (non-retryable) by accounts when the user to describe never existed. */
export const DATA_SUBJECT_NOT_FOUND = 'DataSubjectNotFound';

/** accounts alone resolves a user into a subject, before anything is erased. */
export interface DataSubjectDirectory {
  /** The person's e-mail (null once erased) and the organisations that are them; DATA_SUBJECT_NOT_FOUND when the user never existed. */
  describeDataSubject(input: { userId: string }): Promise<Extract<DataSubject, { kind: 'PERSON' }>>;
}

/** Why an erasure ran. */
export type ErasureReason = 'DATA_SUBJECT_REQUEST' | 'TERMINATION';

/** Input of personalDataErasureWorkflow (CON-6). */
export interface PersonalDataErasureInput {
  /** idempotency key, also the destruction record's: `dsr/<requestId>`, `termination/<organizationId>` */
  erasureId: string;
  subject: { kind: 'PERSON'; userId: string } | { kind: 'ORGANIZATION'; organizationId: string };
  reason: ErasureReason;
  requestId?: string | null;
}

export interface PersonalDataErasureResult {
  erasureId: string;
  reports: ServiceErasureReport[];
}

export const personalDataErasureWorkflowId = (erasureId: string) => `personal-data-erasure/${erasureId}`;

/** Input of personalDataExportWorkflow (CON-5 ACCESS, CON-9): the consent service created the export record `exportId`. */
export interface PersonalDataExportInput {
  exportId: string;
  subject: { kind: 'PERSON'; userId: string } | { kind: 'ORGANIZATION'; organizationId: string };
}

export const personalDataExportWorkflowId = (exportId: string) => `personal-data-export/${exportId}`;

/** The periodic destruction Schedule (CON-7): the consent service creates it at start. */
export const PERIODIC_DESTRUCTION_SCHEDULE_ID = 'periodic-destruction';

/** What the consent service records of personal-data work, on its own queue. */
export interface PersonalDataRecordActivities {
  /** Writes the destruction record (imha tutanağı) of an erasure; a no-op when `erasureId` has one. */
  recordDestruction(input: {
    erasureId: string;
    subject: DataSubject;
    reason: ErasureReason;
    requestId: string | null;
    reports: ServiceErasureReport[];
    completedAt: string;
  }): Promise<void>;
  /** Stores the assembled export and marks it READY. */
  storePersonalDataExport(input: { exportId: string; parts: { service: string; data: Record<string, unknown> }[]; at: string }): Promise<void>;
  /** Marks the export FAILED (a service could not give its part, e.g. it is too large to carry), so nobody waits for it forever. */
  failPersonalDataExport(input: { exportId: string; reason: string; at: string }): Promise<void>;
  /** Logs one periodic destruction run; a no-op when `runId` is logged. */
  recordDestructionRun(input: { runId: string; startedAt: string; completedAt: string; reports: ServiceErasureReport[] }): Promise<void>;
}

/** A service's inventory, declared without repeating its name on every entry. */
export const declareInventory = (service: PersonalDataService, entries: Omit<DataInventoryEntry, 'service'>[]): readonly DataInventoryEntry[] =>
  entries.map((entry) => ({ service, ...entry }));

/** consent's erasure fan-out (CON-6); other services start it by this name. */
export const PERSONAL_DATA_ERASURE_WORKFLOW = 'personalDataErasureWorkflow';
