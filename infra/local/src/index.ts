export { type Backends, type ResolveBackendsOptions, resolveBackends } from './backends.js';
export type { ProcessExit } from './child.js';
export { freeMetricsBase, metricsPort } from './metrics-ports.js';
export { MissingProgramError } from './nats-server.js';
export { answers, freePort } from './ports.js';
export type { RestartPolicy } from './restart-policy.js';
export type { ServiceName, ServiceProcess, Stdio } from './service-process.js';
export type { SettingsOptions } from './settings.js';
export { type RunningSystem, type StartSystemOptions, startSystem } from './system.js';
