import type { ServiceState } from './queries.js';
import { useReadiness } from './queries.js';

const STATE_TEXT: Record<ServiceState, string> = {
  ok: 'Healthy',
  unavailable: 'Not answering',
  store_unreachable: 'Database unreachable',
  error: 'Failing',
};

/** Every service's readiness, as `/readyz` reports it, in words (not by colour alone). */
export function ServiceHealth() {
  const readiness = useReadiness();
  if (readiness.isPending) return <p>Asking the services…</p>;
  if (readiness.isError) return <p className="error">The services' health could not be read: {readiness.error.message}</p>;
  const services = Object.entries(readiness.data);
  const failing = services.filter(([, state]) => state !== 'ok').length;
  return (
    <>
      <p className={failing === 0 ? 'ok' : 'error'}>
        {failing === 0 ? 'Every service is ready.' : `${failing} of ${services.length} services are not ready.`}
      </p>
      <ul className="services" aria-label="Services">
        {services.map(([name, state]) => (
          <li key={name} className={state === 'ok' ? 'service ok' : 'service down'}>
            <span className="name">{name}</span>
            <span className="state">{STATE_TEXT[state] ?? state}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
