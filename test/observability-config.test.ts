import { readFileSync } from 'node:fs';
import { METRICS } from '@headlesskey/contracts';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const infra = (path: string) => readFileSync(new URL(`../infra/${path}`, import.meta.url), 'utf8');

/** A metric name in PromQL: ours all start so, and no label name does. */
const METRIC_NAME = /\b(?:headlesskey|http_server)_[a-z0-9_]+/g;

/**
 * The series names a scrape of the services shows, made by the exporter they use from every
 * instrument of the catalog: so the check follows its naming rules (`_total`, `_bucket`, …).
 */
async function exportedSeries(): Promise<Set<string>> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meter = new MeterProvider({ readers: [exporter] }).getMeter('headlesskey');
  for (const def of Object.values(METRICS)) {
    const options = { unit: def.unit, description: def.description };
    if (def.kind === 'counter') meter.createCounter(def.name, options).add(1);
    if (def.kind === 'histogram') meter.createHistogram(def.name, options).record(1);
    if (def.kind === 'gauge') meter.createGauge(def.name, options).record(1);
    if (def.kind === 'observableGauge') meter.createObservableGauge(def.name, options).addCallback((r) => r.observe(1));
    if (def.kind === 'observableCounter') meter.createObservableCounter(def.name, options).addCallback((r) => r.observe(1));
  }
  const { resourceMetrics } = await exporter.collect();
  const text = new PrometheusSerializer().serialize(resourceMetrics);
  return new Set(text.split('\n').flatMap((line) => (line.startsWith('#') || line === '' ? [] : [line.split(/[{ ]/, 1)[0] ?? ''])));
}

function dashboardExprs(): string[] {
  const dashboard = JSON.parse(infra('grafana/headlesskey.json')) as { panels: { targets?: { expr: string }[] }[] };
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
}

function alertExprs(): string[] {
  const rules = parse(infra('prometheus/alerts.yml')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  return rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
}

const metricsIn = (exprs: string[]) => [...new Set(exprs.flatMap((expr) => expr.match(METRIC_NAME) ?? []))];

describe('the dashboard and the alert rules', () => {
  it('are valid JSON and YAML, as are the Prometheus and Grafana configurations and compose.yaml', () => {
    expect(dashboardExprs().length).toBeGreaterThan(0);
    expect(alertExprs().length).toBeGreaterThan(0);
    for (const file of ['prometheus/prometheus.yml', 'prometheus/local.yml', 'compose.yaml'])
      expect(parse(infra(file))).toBeTypeOf('object');
    for (const file of ['grafana/provisioning/datasources/prometheus.yml', 'grafana/provisioning/dashboards/headlesskey.yml']) {
      expect(parse(infra(file))).toMatchObject({ apiVersion: 1 });
    }
  });

  it('read only metrics the services export', async () => {
    const exported = await exportedSeries();
    const unknown = metricsIn([...dashboardExprs(), ...alertExprs()]).filter((name) => !exported.has(name));
    expect(unknown).toEqual([]);
  });

  it('leave no metric of the catalog off the dashboard', async () => {
    const shown = metricsIn(dashboardExprs()).map((name) => name.replace(/_(bucket|count|sum)$/, ''));
    const exported = [...(await exportedSeries())]
      .filter((name) => name !== 'target_info')
      .map((name) => name.replace(/_(bucket|count|sum)$/, ''));
    expect([...new Set(exported)].filter((name) => !shown.includes(name))).toEqual([]);
  });

  it('are wired into compose: Prometheus with the rules, Grafana with the dashboard', () => {
    const compose = parse(infra('compose.yaml')) as { services: Record<string, { volumes?: string[] }> };
    expect(compose.services.prometheus?.volumes).toContain('./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro');
    expect(compose.services.grafana?.volumes).toContain('./grafana/headlesskey.json:/var/lib/grafana/dashboards/headlesskey.json:ro');
    const scrape = parse(infra('prometheus/prometheus.yml')) as { scrape_configs: { job_name: string }[] };
    expect(scrape.scrape_configs.map((c) => c.job_name).sort()).toEqual(['audit', 'gateway', 'identity', 'tokens', 'webhooks']);
  });
});
