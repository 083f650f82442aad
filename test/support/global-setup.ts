import type { TestProject } from 'vitest/node';
import { resolveBackends } from './backends.js';

/**
 * Finds PostgreSQL and NATS once for the whole run: the URLs in the environment, else the
 * servers answering on the default local ports, else containers (where Docker runs).
 */
export default async function setup(project: TestProject) {
  const backends = await resolveBackends();
  process.env.DATABASE_URL = backends.databaseUrl;
  process.env.NATS_URL = backends.natsUrl;
  project.provide('databaseUrl', backends.databaseUrl);
  project.provide('natsUrl', backends.natsUrl);
  return backends.stop;
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    natsUrl: string;
  }
}
