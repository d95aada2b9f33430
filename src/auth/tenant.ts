import type { Cloud } from '../domain/index.js';
import { isGuid } from '../domain/primitives.js';
import { cloudFromOpenIdConfiguration, CLOUD_HOSTS } from '../m365/clouds.js';
import { serverFault } from '../m365/errors.js';
import type { Transport } from '../m365/transport.js';
import type { CallOptions, TenantInfo } from './api.js';
import { M365Error } from './api.js';
import { assertTenant } from './client-credentials.js';
import type { EntraErrorBody } from './errors.js';
import { fromEntra } from './errors.js';

/**
 * A tenant's directory GUID and national cloud from its OpenID configuration, which the global
 * sign-in host serves for a tenant of any cloud (backup-data.md §8): `cloud_instance_name` and
 * `tenant_region_sub_scope` name the cloud, the issuer carries the GUID. No sign-in needed, so it
 * also serves manual entry and the "same tenant?" question.
 */
export async function resolveTenant(transport: Transport, tenant: string, options: CallOptions = {}): Promise<TenantInfo> {
  const name = tenant.trim();
  assertTenant(name);
  const response = await transport.send({
    method: 'GET',
    url: `https://${CLOUD_HOSTS.global.login}/${encodeURIComponent(name)}/v2.0/.well-known/openid-configuration`,
    headers: { Accept: 'application/json' },
    maxBytes: 256 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.status >= 500) throw serverFault(response.host, response.status, response.text);
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(response.text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (!body) {
    throw new M365Error('Network', `${response.host} returned a response that is not valid JSON (HTTP ${response.status}).`, undefined, 'A proxy, firewall or captive portal may be answering instead of Microsoft; check the network path.');
  }
  if (response.status !== 200 || typeof body.error === 'string') {
    throw fromEntra({ ...(body as EntraErrorBody), status: response.status }, { flow: 'client-credentials', tenant: name, clientId: '' });
  }
  const issuer = typeof body.issuer === 'string' ? body.issuer : '';
  const tenantId = /\/([0-9a-f-]{36})\//i.exec(issuer)?.[1] ?? /\/([0-9a-f-]{36})\//i.exec(String(body.token_endpoint ?? ''))?.[1];
  const cloud: Cloud | undefined = cloudFromOpenIdConfiguration(body);
  if (!tenantId || !isGuid(tenantId) || !cloud) {
    throw new M365Error('Unknown', `Microsoft Entra ID's description of tenant '${name.slice(0, 80)}' names no directory ID or no cloud the panel knows.`, undefined, 'Check the tenant ID or domain.');
  }
  return { tenantId: tenantId.toLowerCase(), cloud };
}
