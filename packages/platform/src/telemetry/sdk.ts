import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';

/** Sampling when `OTEL_TRACES_SAMPLER` is unset: a tenth of new traces, and whatever the caller chose. */
const DEFAULT_RATIO = 0.1;

export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for one service. Spans are always created (logs carry their trace
 * id); they leave the process only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
 */
export function startTelemetry(service: string, env: NodeJS.ProcessEnv = process.env): Telemetry {
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const spanProcessor = exporting
    ? new tracing.BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 500 })
    : new tracing.NoopSpanProcessor();
  const sampler = env.OTEL_TRACES_SAMPLER
    ? undefined
    : new tracing.ParentBasedSampler({ root: new tracing.TraceIdRatioBasedSampler(DEFAULT_RATIO) });
  const sdk = new NodeSDK({
    serviceName: `headlesskey-${service}`,
    spanProcessors: [spanProcessor],
    logRecordProcessors: [],
    instrumentations: [],
    ...(sampler ? { sampler } : {}),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
