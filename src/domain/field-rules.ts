import { displayText } from './display-text.js';
import { isDomain, isGuid } from './primitives.js';

/**
 * What a valid value of each field the admin types is, and the words for one that is not. The
 * wizard (under the field), the services (as the refusal the CLI prints) and the identity layer
 * all call these, so the CLI and the panel say the same thing about the same bad value.
 *
 * Each rule returns undefined for an acceptable value, else one sentence: what is wrong and what to
 * do. Values are trimmed first; a value shown back is made safe and cut to 80 characters.
 */
export type FieldProblem = string | undefined;

function shown(value: string): string {
  return displayText(value.trim(), { maxLength: 80 });
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const USER_AT_DOMAIN = /^[^@\s]+@[^@\s]+$/;
const DOMAIN_BACKSLASH_USER = /^[^\\\s]+\\[^\\\s]+$/;
const HOST = /^[a-z0-9.-]+(:\d+)?$/i;

/** Entra tenant: the directory ID (a GUID) or one of its domains. */
export function tenantProblem(value: string): FieldProblem {
  const v = value.trim();
  if (!v) return 'Enter the directory (tenant) ID or the tenant domain, e.g. contoso.onmicrosoft.com.';
  if (isGuid(v) || isDomain(v)) return undefined;
  return `Tenant '${shown(v)}' is neither a directory (tenant) ID (a GUID) nor a domain such as contoso.onmicrosoft.com.`;
}

/** The application (client) ID of an app registration. */
export function clientIdProblem(value: string): FieldProblem {
  const v = value.trim();
  if (!v) return 'Enter the application (client) ID: a GUID from the app registration’s Overview page.';
  if (isGuid(v)) return undefined;
  return `Application (client) ID '${shown(v)}' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx): copy it from the app registration’s Overview page in the Microsoft Entra admin center.`;
}

/** The mailbox of a licensed user, used to verify Exchange Online access. */
export function mailboxProblem(value: string): FieldProblem {
  const v = value.trim();
  if (!v) return 'Enter the e-mail address of a user with an Exchange Online licence.';
  return EMAIL.test(v) ? undefined : `Mailbox '${shown(v)}' is not an e-mail address (user@domain).`;
}

/** An e-mail address in the Exchange organisation's domain, for Autodiscover. */
export function autodiscoverEmailProblem(value: string): FieldProblem {
  const v = value.trim();
  if (EMAIL.test(v) && isDomain(v.slice(v.lastIndexOf('@') + 1))) return undefined;
  return 'Autodiscover needs an e-mail address (user@domain) in the Exchange organisation’s domain to find the server.';
}

/** An on-premises account: DOMAIN\user or user@domain. */
export function accountProblem(value: string): FieldProblem {
  const v = value.trim();
  if (DOMAIN_BACKSLASH_USER.test(v) || USER_AT_DOMAIN.test(v)) return undefined;
  return v ? `User name '${shown(v)}' must be DOMAIN\\user or user@domain.` : 'Enter the account as DOMAIN\\user or user@domain.';
}

/** SharePoint Online's legacy account: user@domain. */
export function legacyAccountProblem(value: string): FieldProblem {
  const v = value.trim();
  if (USER_AT_DOMAIN.test(v)) return undefined;
  return v ? `User name '${shown(v)}' must be user@domain.` : 'Enter the account as user@domain.';
}

/** An on-premises Exchange server: a host name or IP (with an optional port), or its URL. */
export function hostProblem(value: string): FieldProblem {
  const v = value.trim();
  if (!v) return 'Enter the Exchange server’s name or IP address, e.g. ex01.corp.contoso.com.';
  if (HOST.test(v) || /^https?:\/\//i.test(v)) return undefined;
  return `Server '${shown(v)}' must be a host name or IP address such as ex01.corp.contoso.com (no spaces).`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL (http only for this machine, as on-premises test servers may be). `what` names it. */
export function serverUrlProblem(value: string, what: string): FieldProblem {
  const v = value.trim();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return `${what} '${shown(v)}' is not a URL such as https://server.example.com.`;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return undefined;
  return `${what} must start with https:// (http is accepted only for this machine).`;
}

/** https://<name>.sharepoint.com, the form SharePoint Online site URLs take. */
export function sharePointOnlineUrlProblem(value: string): FieldProblem {
  const problem = serverUrlProblem(value, 'SharePoint server URL');
  if (problem) return problem;
  const host = new URL(value.trim()).hostname;
  if (/^[a-z0-9-]+\.sharepoint\.com$/i.test(host) && !host.includes('-admin.')) return undefined;
  return 'SharePoint server URL must look like https://<your tenant>.sharepoint.com (e.g. https://contoso.sharepoint.com).';
}

/** A client secret's end date as typed (YYYY-MM-DD, optional), judged against `today` (YYYY-MM-DD). */
export function secretExpiryProblem(value: string, today: string): FieldProblem {
  const v = value.trim();
  if (!v) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) return 'Write the date as YYYY-MM-DD, or leave it empty.';
  return v <= today ? `That date has passed: the secret expired on ${v}. Create a new secret.` : undefined;
}

/** A certificate that has ended cannot sign in; `notAfter` is ISO. */
export function certificateDatesProblem(notAfter: string, now: Date): FieldProblem {
  return Date.parse(notAfter) <= now.getTime() ? `The certificate expired on ${notAfter.slice(0, 10)}; use a valid one.` : undefined;
}

export const FIELD_WORDS = {
  certificatePath: 'Give the path of the certificate file: PEM (certificate and private key) or PFX.',
  clientSecret: 'Enter the client secret’s value (not its secret ID).',
  password: 'Enter the account’s password.',
} as const;

