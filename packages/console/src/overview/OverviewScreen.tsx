import { useState } from 'react';
import { FailingEndpoints, type Figure, Figures } from './Figures.js';
import { type Range, useLogStats, useSessionStats, useWebhookStats } from './queries.js';
import { ServiceHealth } from './ServiceHealth.js';
import { RangeChoice, rangeLabel, SignIns } from './SignIns.js';
import './overview.css';

/** A figure from a query: its number once answered, else what is happening in words. */
function figureOf<T>(query: { data?: T; isError: boolean }, pick: (data: T) => number): number | string {
  if (query.data !== undefined) return pick(query.data);
  return query.isError ? 'Unavailable' : '…';
}

/** The console's home: the state of the system at a glance, every figure counted by the API. */
export function OverviewScreen() {
  const [range, setRange] = useState<Range>('24h');
  const logs = useLogStats(range);
  const sessions = useSessionStats();
  const webhooks = useWebhookStats();
  const during = rangeLabel(range).toLowerCase();
  const figures: Figure[] = [
    { label: 'Account lockouts', value: figureOf(logs, (s) => s.totals.lockouts), note: during },
    { label: 'IP blocks', value: figureOf(logs, (s) => s.totals.ip_blocks), note: during },
    { label: 'Live sessions', value: figureOf(sessions, (s) => s.live_sessions), note: usersNote(sessions.data?.users) },
    {
      label: 'Failing webhook endpoints',
      value: figureOf(webhooks, (s) => s.failing.length),
      note: endpointsNote(webhooks.data?.endpoints),
    },
    { label: 'Deliveries given up', value: figureOf(webhooks, (s) => s.dead), note: 'dead letters, until redelivered' },
    { label: 'Deliveries waiting', value: figureOf(webhooks, (s) => s.pending) },
  ];
  const problems = [logs, sessions, webhooks].filter((q) => q.isError).map((q) => q.error!.message);

  return (
    <div className="overview">
      <h1>Overview</h1>
      {problems.length > 0 && (
        <div role="alert" className="error">
          {[...new Set(problems)].map((message) => (
            <p key={message}>Some figures could not be read: {message}</p>
          ))}
        </div>
      )}
      <section aria-labelledby="overview-signins" className="panel">
        <h2 id="overview-signins">Sign-ins</h2>
        <RangeChoice range={range} onChange={setRange} />
        {logs.data ? <SignIns stats={logs.data} updating={logs.isPlaceholderData} /> : !logs.isError && <p>Counting sign-ins…</p>}
      </section>
      <section aria-labelledby="overview-figures" className="panel">
        <h2 id="overview-figures">At a glance</h2>
        <Figures figures={figures} />
      </section>
      <section aria-labelledby="overview-webhooks" className="panel">
        <h2 id="overview-webhooks">Failing webhook endpoints</h2>
        {webhooks.data ? <FailingEndpoints stats={webhooks.data} /> : !webhooks.isError && <p>Reading deliveries…</p>}
      </section>
      <section aria-labelledby="overview-services" className="panel">
        <h2 id="overview-services">Services</h2>
        <ServiceHealth />
      </section>
    </div>
  );
}

const usersNote = (users: number | undefined) => (users === undefined ? undefined : `of ${users} ${users === 1 ? 'user' : 'users'}`);
const endpointsNote = (n: number | undefined) => (n === undefined ? undefined : `of ${n} ${n === 1 ? 'endpoint' : 'endpoints'}`);

export default OverviewScreen;
