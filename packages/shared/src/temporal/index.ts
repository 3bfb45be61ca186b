// Node-side Temporal plumbing shared by every service and the worker: the
// payload codec, clients, the service activity worker and e-mail hand-over.
export { SEARCH_ATTRIBUTES } from './search-attributes.ts';
export { emailWorkflowId, type EmailMessage } from './email.ts';
export { startEmailWorkflow, startWorkflowOnce } from './start-email.ts';
export { connectTemporalClient } from './client.ts';
export { EncryptionCodec, FAILURE_CONVERTER_PATH, parsePayloadKeys, platformDataConverter, payloadFromJson, payloadToJson, ENCRYPTED_ENCODING, type PayloadJson } from './payload-codec.ts';
export { connectServiceTemporal, type ServiceTemporal } from './service-temporal.ts';
export { addressKey } from './address-key.ts';
export { installTemporalRuntime } from './temporal-runtime.ts';
export { temporalConnectionOptions } from './temporal-connection.ts';
export { clientTracingInterceptors, workerTracing } from './worker-tracing.ts';
export { emitWebhookEvent } from './emit-webhook.ts';
export { activityWorkerTuning, workflowWorkerTuning, type WorkerTuning } from './worker-tuning.ts';
