import * as z from 'zod';

/** An ISO-8601 instant as written by `Date.prototype.toISOString()` or by the previous release. */
export const IsoInstant = z.iso.datetime({ offset: true });

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const Guid = z.string().regex(GUID_PATTERN, 'expected a GUID such as 00000000-0000-0000-0000-000000000000');

/** A DNS name such as contoso.onmicrosoft.com (no scheme, no path). */
export const DOMAIN_PATTERN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;

/** Entra tenant: a directory GUID or a verified domain. */
export const TenantId = z
  .string()
  .refine((v) => GUID_PATTERN.test(v) || DOMAIN_PATTERN.test(v), 'expected a tenant GUID or a domain such as contoso.onmicrosoft.com');

export const NonEmpty = z.string().min(1, 'must not be empty');

export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}

export function isDomain(value: string): boolean {
  return DOMAIN_PATTERN.test(value);
}
