/**
 * A loopback Microsoft 365 tenant for tests, the demo and manual tries (contracts.md §6). It imports
 * nothing from the rest of the panel, so the panel's own code cannot make its own tests pass.
 */
export { startSandbox } from './sandbox.js';
export { runSandboxCommand } from './command.js';
export { createTestCertificate, type TestCertificate } from './certificates.js';
export type {
  Fault,
  FileContentInput,
  MessageChange,
  SandboxDriveInfo,
  SandboxDriveItemInfo,
  SandboxDrives,
  NewMessageInput,
  SandboxDataOptions,
  SandboxFolderInfo,
  SandboxMail,
  SandboxMessageInfo,
  ThrottleRule,
  FaultResponse,
  GrantedAppRole,
  PendingDeviceCode,
  RegisterAppInput,
  RegisteredApp,
  Sandbox,
  SandboxAppInfo,
  SandboxOptions,
  SandboxRequestRecord,
  SandboxTenantInfo,
  TenantName,
  TenantSettingsInput,
} from './types.js';
export {
  AZURE_CLI_APP_ID,
  EXCHANGE_APP_ID,
  GRAPH_APP_ID,
  GRAPH_CLI_TOOLS_APP_ID,
  SHAREPOINT_APP_ID,
} from './well-known.js';
