import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type IMetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { type MetricsConfig, readMetricsConfig } from '../config/common.js';

/** Sampling when `OTEL_TRACES_SAMPLER` is unset: a tenth of new traces, and whatever the caller chose. */
const DEFAULT_RATIO = 0.1;

export interface Telemetry {
  /** Resolves once the metrics endpoint listens; rejects when it cannot (its port is taken). */
  ready: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for one process. Spans are always created (logs carry their trace
 * id); they leave the process only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Metrics go out over
 * OTLP under the same condition, and are served for Prometheus at `/metrics` on their own port
 * when `HEADLESSKEY_METRICS_PORT` gives one; with neither, no instrument records anything.
 */
export function startTelemetry(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
  metricsConfig: MetricsConfig = readMetricsConfig(env),
): Telemetry {
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const spanProcessor = exporting
    ? new tracing.BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 500 })
    : new tracing.NoopSpanProcessor();
  const sampler = env.OTEL_TRACES_SAMPLER
    ? undefined
    : new tracing.ParentBasedSampler({ root: new tracing.TraceIdRatioBasedSampler(DEFAULT_RATIO) });
  const { readers, ready } = metricReaders(metricsConfig, env);
  const sdk = new NodeSDK({
    serviceName: `headlesskey-${service}`,
    spanProcessors: [spanProcessor],
    // Always given: without it the SDK would export metrics over OTLP to its default endpoint.
    metricReaders: readers,
    logRecordProcessors: [],
    instrumentations: [],
    ...(sampler ? { sampler } : {}),
  });
  sdk.start();
  return { ready, shutdown: () => sdk.shutdown() };
}

function metricReaders(config: MetricsConfig, env: NodeJS.ProcessEnv): { readers: IMetricReader[]; ready: Promise<void> } {
  const readers: IMetricReader[] = [];
  const otlp = env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
  if (otlp && env.OTEL_METRICS_EXPORTER !== 'none') {
    readers.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: config.exportIntervalMs }));
  }
  if (config.port === 0) return { readers, ready: Promise.resolve() };
  // Started here rather than by the constructor, which would only log a taken port.
  const prometheus = new PrometheusExporter({ host: config.host, port: config.port, preventServerStart: true });
  readers.push(prometheus);
  return { readers, ready: prometheus.startServer() };
}
