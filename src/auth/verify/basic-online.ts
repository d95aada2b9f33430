import { displayText } from '../../domain/display-text.js';
import type { VerifyTarget } from '../api.js';
import type { HttpResponse } from '../../m365/transport.js';
import type { CheckRunner, Outcome, VerifyContext } from './context.js';
import { basicAuthorization, fail, fromError, warn, withStep } from './context.js';
import type { NextStep } from '../../domain/next-steps.js';
import { describeEwsAnswer, getFolderEnvelope, readEwsAnswer, SOAP_HEADERS } from '../../m365/ews.js';
import { ewsUrl } from '../../m365/clouds.js';
import { serverFault } from '../../m365/errors.js';
import { siteBase } from './sharepoint-online.js';

/**
 * An [obsolete] Microsoft 365 connection (user name + password). It is really probed with Basic
 * Authentication: Exchange Online answers 401 with only a Bearer challenge since 2022/2023, and
 * SharePoint Online's legacy sign-in is blocked since 2026-05-01. If a tenant still accepts the
 * password, the check warns (works today, obsolete, reconfigure).
 */

type BasicTarget = Extract<VerifyTarget, { kind: 'online-basic' }>;

const RECONFIGURE: NextStep = { kind: 'reconfigure' };

export function basicDisabledMessage(service: BasicTarget['service']): string {
  const why =
    service === 'exchange'
      ? 'Basic Authentication was switched off for Exchange Online (Oct 2022 – Jan 2023)'
      : "SharePoint Online's legacy sign-in is blocked since 1 May 2026 (MC1184649)";
  return `Microsoft 365 no longer accepts passwords for this connection: ${why}.`;
}

/** 401 whose challenge offers only OAuth (Bearer) = Basic switched off, not a wrong password. */
export function isBearerOnlyChallenge(response: HttpResponse): boolean {
  const challenge = response.headers['www-authenticate'] ?? '';
  return response.status === 401 && /\bBearer\b/i.test(challenge) && !/\bBasic\s+realm="[^"]+"/i.test(challenge.replace(/Basic Realm=""/i, ''));
}

function tenantSite(userName: string): string | undefined {
  const match = /@([a-z0-9-]+)\.onmicrosoft\.com$/i.exec(userName);
  return match ? `https://${match[1]?.toLowerCase()}.sharepoint.com` : undefined;
}

export async function verifyBasicOnline(ctx: VerifyContext, runner: CheckRunner, target: BasicTarget): Promise<void> {
  const authorization = basicAuthorization(target.userName, target.password.reveal());
  ctx.sensitive.push(target.password.reveal(), authorization.slice('Basic '.length));
  await runner.run('Basic Authentication', async (): Promise<Outcome> => {
    let response: HttpResponse;
    if (target.service === 'exchange') {
      response = await ctx.transport.send({
        method: 'POST',
        url: ewsUrl(target.cloud),
        headers: { ...SOAP_HEADERS, Authorization: authorization },
        body: getFolderEnvelope(),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    } else {
      const site = target.siteUrl ?? tenantSite(target.userName);
      if (!site) return withStep(fail('No SharePoint URL is known for this connection.', 'BasicAuthDisabled'), RECONFIGURE);
      response = await ctx.transport.send({
        method: 'GET',
        url: `${siteBase(site)}/_api/web?$select=Title`,
        headers: { Authorization: authorization, Accept: 'application/json;odata=nometadata' },
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    }
    const user = displayText(target.userName, { maxLength: 120 });
    // A fault on the way or at the server says nothing about the password: never "Reconfigure".
    const fault = serverSideOutcome(response, target.service);
    if (fault) return fault;
    if (isBearerOnlyChallenge(response)) return withStep(fail(basicDisabledMessage(target.service), 'BasicAuthDisabled'), RECONFIGURE);
    if (response.status === 401) {
      return withStep(fail(`${response.host} rejected the user name or password of ${user} (HTTP 401). Microsoft 365 is phasing passwords out anyway.`, 'BadCredential'), RECONFIGURE);
    }
    if (response.status === 403) {
      return withStep(fail(`${response.host} refused ${user} (HTTP 403): the service is blocked for this account or tenant.`, 'ServiceBlocked'), RECONFIGURE);
    }
    const worked = target.service === 'exchange' ? readEwsAnswer(response).ok : response.status === 200;
    if (worked) {
      return withStep(warn(`Microsoft 365 still accepts the password of ${user} today, but Basic Authentication is obsolete and can stop working without notice.`), RECONFIGURE);
    }
    const detail = target.service === 'exchange' ? describeEwsAnswer(readEwsAnswer(response)) : `HTTP ${response.status}`;
    return withStep(fail(`${response.host} did not accept the connection (${detail}).`, 'Unknown'), RECONFIGURE);
  });
}

const NOT_MICROSOFT = 'A proxy, firewall or captive portal is probably answering instead of Microsoft 365; check the network path and test again.';

/** 5xx, a redirect, or a 2xx that is not the service's answer: the network or the server, not the credential. */
function serverSideOutcome(response: HttpResponse, service: BasicTarget['service']): Outcome | undefined {
  if (response.status >= 500) return fromError(serverFault(response.host, response.status, response.text));
  if (response.status >= 300 && response.status < 400) {
    return fail(`${response.host} answered with a redirect (HTTP ${response.status}) instead of the service. ${NOT_MICROSOFT}`, 'Network');
  }
  if (response.status >= 200 && response.status < 300) {
    const looksRight = service === 'exchange' ? /<(?:\w+:)?Envelope[\s>]/.test(response.text) : isJsonObject(response.text);
    if (!looksRight) return fail(`${response.host} answered HTTP ${response.status} with something that is not ${service === 'exchange' ? 'an EWS (SOAP)' : "SharePoint's JSON"} response. ${NOT_MICROSOFT}`, 'Network');
  }
  return undefined;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
