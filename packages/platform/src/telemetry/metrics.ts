import type { MetricDef } from '@headlesskey/contracts';
import { type Attributes, metrics, type Observable, type ObservableCallback } from '@opentelemetry/api';

/** One instrument of `METRICS`, made on first use: the SDK registers its meter provider when the process starts. */
export interface Recorder {
  /** A counter's `add`, a histogram's or a gauge's `record`. */
  record(value: number, attributes?: Attributes): void;
}

type Made = { record(value: number, attributes?: Attributes): void } | Observable;
const made = new Map<string, Made>();

function instrument(def: MetricDef): Made {
  let found = made.get(def.name);
  if (found) return found;
  const meter = metrics.getMeter('headlesskey');
  const options = { unit: def.unit, description: def.description };
  switch (def.kind) {
    case 'counter': {
      const counter = meter.createCounter(def.name, options);
      found = { record: (value, attributes) => counter.add(value, attributes) };
      break;
    }
    case 'histogram':
      found = meter.createHistogram(def.name, { ...options, advice: { explicitBucketBoundaries: [...(def.buckets ?? [])] } });
      break;
    case 'gauge':
      found = meter.createGauge(def.name, options);
      break;
    case 'observableGauge':
      found = meter.createObservableGauge(def.name, options);
      break;
    case 'observableCounter':
      found = meter.createObservableCounter(def.name, options);
      break;
  }
  made.set(def.name, found);
  return found;
}

/** Records into a counter, histogram or gauge of the catalog; nothing happens while no metrics are exported. */
export function recorder(def: MetricDef): Recorder {
  if (def.kind.startsWith('observable')) throw new Error(`${def.name} is observed, not recorded`);
  return { record: (value, attributes) => (instrument(def) as Recorder).record(value, attributes) };
}

/**
 * Reports an observable of the catalog from `callback` at each collection (a scrape, an export);
 * answers how to stop. A callback that throws (its database is away) reports nothing that time.
 */
export function observe(def: MetricDef, callback: ObservableCallback): () => void {
  if (!def.kind.startsWith('observable')) throw new Error(`${def.name} is recorded, not observed`);
  const observable = instrument(def) as Observable;
  const guarded: ObservableCallback = async (result) => {
    try {
      await callback(result);
    } catch {
      // Nothing observed: the series shows a gap, which is what happened.
    }
  };
  observable.addCallback(guarded);
  return () => observable.removeCallback(guarded);
}
