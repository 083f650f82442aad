import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Fetches a process's `/metrics` and parses its samples. */
export async function scrape(port: number): Promise<Sample[]> {
  const reply = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!reply.ok) throw new Error(`/metrics on ${port} answered ${reply.status}`);
  return parseExposition(await reply.text());
}

/**
 * Makes this process record metrics, as a service's SDK would, for tests of the code that records
 * them: answers a collection of what was recorded so far, as a scrape would show it.
 */
export function recordMetrics(): () => Promise<Sample[]> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
  return async () => parseExposition(new PrometheusSerializer().serialize((await exporter.collect()).resourceMetrics));
}

/** The samples of a Prometheus text exposition (our label values hold no `"`, `,` or `}`). */
function parseExposition(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || line.startsWith('#')) return [];
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    return [{ name: match[1] ?? '', labels, value: Number(match[3]) }];
  });
}

/** The value of the one sample with this name and (at least) these labels; undefined when there is none. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
