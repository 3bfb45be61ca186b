import { OpenTelemetryPlugin, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { activeTracing } from '../observability/tracing.ts';

/**
 * With tracing on, a worker continues the trace its workflows were started
 * in: workflow spans through the exporter sink, activity spans around each
 * execution. A prebuilt bundle carries the workflow interceptors either way,
 * so with tracing off their sink is there and drops the spans.
 */
export function workerTracing(): Pick<WorkerOptions, 'plugins' | 'sinks'> {
  const tracing = activeTracing();
  if (tracing) return { plugins: [new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.spanProcessor })] };
  return { sinks: { exporter: { export: { fn: () => undefined } } } };
}

/** Starting or signalling a workflow puts the current trace context into its headers. */
export function clientTracingInterceptors(): { workflow: WorkflowClientInterceptor[] } {
  return { workflow: activeTracing() ? [new OpenTelemetryWorkflowClientInterceptor()] : [] };
}
