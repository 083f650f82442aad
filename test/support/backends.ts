import { answers } from '@headlesskey/local';

export interface Backends {
  databaseUrl: string;
  natsUrl: string;
  stop(): Promise<void>;
}

const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_NATS_URL = 'nats://127.0.0.1:4222';

export async function resolveBackends(): Promise<Backends> {
  const stops: (() => Promise<void>)[] = [];
  const databaseUrl =
    process.env.DATABASE_URL ?? ((await answers(LOCAL_DATABASE_URL)) ? LOCAL_DATABASE_URL : await startContainerPostgres(stops));
  const natsUrl = process.env.NATS_URL ?? ((await answers(LOCAL_NATS_URL)) ? LOCAL_NATS_URL : await startContainerNats(stops));
  return {
    databaseUrl,
    natsUrl,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

async function startContainerPostgres(stops: (() => Promise<void>)[]): Promise<string> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine').withUsername('postgres').withPassword('postgres').start();
  stops.push(async () => {
    await container.stop();
  });
  return container.getConnectionUri().replace(/\/[^/]*$/, '/postgres');
}

async function startContainerNats(stops: (() => Promise<void>)[]): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('nats:2.10-alpine')
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  stops.push(async () => {
    await container.stop();
  });
  return `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
}
