export { runService, type ServiceRunOptions } from './run-service.js';
export { createServiceLog, type ServiceLog } from './log.js';
