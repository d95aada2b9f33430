import { displayText } from '../../domain/display-text.js';
import type { VerifyTarget } from '../api.js';
import { M365Error } from '../api.js';
import type { HttpResponse } from '../../m365/transport.js';
import type { CheckRunner, Outcome, VerifyContext } from './context.js';
import { basicAuthorization, fail, fromError, isCancelled, pass } from './context.js';
import { autodiscoverRequest, describeEwsAnswer, getFolderEnvelope, readAutodiscover, readEwsAnswer, SOAP_HEADERS } from '../../m365/ews.js';

/** Exchange Server on-premises: Autodiscover (when no server is given), then EWS with Basic. */

type Target = Extract<VerifyTarget, { kind: 'onprem-exchange' }>;

/** The EWS URL for a host name, IP, host:port or URL. */
export function ewsUrlFor(server: string): string {
  const value = server.trim();
  if (/^https?:\/\//i.test(value)) {
    const url = new URL(value);
    return url.pathname === '/' || url.pathname === '' ? `${url.origin}/EWS/Exchange.asmx` : url.href;
  }
  return `https://${value.replace(/\/+$/, '')}/EWS/Exchange.asmx`;
}

/** 401 whose challenge does not offer Basic (NTLM / Negotiate only). */
export function basicNotOffered(response: HttpResponse): boolean {
  const challenge = response.headers['www-authenticate'];
  return response.status === 401 && challenge !== undefined && !/\bBasic\b/i.test(challenge) && /\b(NTLM|Negotiate)\b/i.test(challenge);
}

export async function verifyOnPremExchange(ctx: VerifyContext, runner: CheckRunner, target: Target): Promise<void> {
  const authorization = basicAuthorization(target.userName, target.password.reveal());
  ctx.sensitive.push(target.password.reveal(), authorization.slice('Basic '.length));
  let ewsUrl = target.server ? ewsUrlFor(target.server) : undefined;
  if (!ewsUrl) {
    const result = await runner.run('Autodiscover', async () => {
      const found = await autodiscover(ctx, target, authorization);
      if ('outcome' in found) return found.outcome;
      ewsUrl = found.ewsUrl;
      return pass(`Autodiscover found EWS at ${displayText(found.ewsUrl, { maxLength: 160 })}.`);
    });
    if (result.status === 'fail' || !ewsUrl) return;
  }
  const url = ewsUrl;
  await runner.run('EWS (Basic)', () => ewsBasicCheck(ctx, target, url, authorization));
}

async function autodiscover(ctx: VerifyContext, target: Target, authorization: string): Promise<{ ewsUrl: string } | { outcome: Outcome }> {
  let email = target.autodiscoverEmail?.trim() || (target.userName.includes('@') ? target.userName.trim() : undefined);
  if (!email) {
    return {
      outcome: fail(
        `Autodiscover needs an e-mail address, and the user name ${displayText(target.userName, { maxLength: 80 })} is not one. Enter the mailbox's e-mail address for Autodiscover, or the Exchange server's name.`,
        'Configuration',
      ),
    };
  }
  let firstError: unknown;
  for (let hop = 0; hop < 3; hop++) {
    const domain = email.split('@')[1]?.toLowerCase() ?? '';
    const candidates = [`https://autodiscover.${domain}/autodiscover/autodiscover.xml`, `https://${domain}/autodiscover/autodiscover.xml`];
    let redirected: string | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const url = candidates[i] as string;
      let response: HttpResponse;
      try {
        response = await ctx.transport.send({
          method: 'POST',
          url,
          headers: { ...SOAP_HEADERS, Authorization: authorization },
          body: autodiscoverRequest(email),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
      } catch (error) {
        if (isCancelled(error)) throw error;
        firstError ??= error;
        continue;
      }
      if (response.status === 401) {
        return { outcome: fail(`${response.host} rejected the user name or password of ${displayText(target.userName, { maxLength: 80 })} (HTTP 401). Check the account (DOMAIN\\user or user@domain) and its password.`, 'BadCredential') };
      }
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && location && /^https:\/\//i.test(location) && i === candidates.length - 1) {
        candidates.push(location);
        continue;
      }
      if (response.status !== 200) {
        firstError ??= new M365Error('Unknown', `${response.host} answered HTTP ${response.status} to Autodiscover.`);
        continue;
      }
      const answer = readAutodiscover(response.text);
      if (answer.ewsUrl) return { ewsUrl: answer.ewsUrl };
      if (answer.redirectAddr && answer.redirectAddr.includes('@')) {
        redirected = answer.redirectAddr;
        break;
      }
      if (answer.redirectUrl && /^https:\/\//i.test(answer.redirectUrl)) {
        candidates.push(answer.redirectUrl);
        continue;
      }
      firstError ??= new M365Error('NotFound', `Autodiscover at ${response.host} returned no EWS address${answer.error ? ` (${answer.error})` : ''}.`);
    }
    if (!redirected) break;
    email = redirected;
  }
  const reason = firstError ? fromError(firstError).message : 'no server answered.';
  return {
    outcome: fail(
      `Autodiscover for ${displayText(email.split('@')[1] ?? '', { maxLength: 80 })} failed: ${reason} Enter the Exchange server's name or IP address instead.`,
      firstError instanceof M365Error ? firstError.category : 'Network',
    ),
  };
}

async function ewsBasicCheck(ctx: VerifyContext, target: Target, url: string, authorization: string): Promise<Outcome> {
  const response = await ctx.transport.send({
    method: 'POST',
    url,
    headers: { ...SOAP_HEADERS, Authorization: authorization },
    body: getFolderEnvelope(),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const user = displayText(target.userName, { maxLength: 80 });
  if (basicNotOffered(response)) {
    return fail(`${response.host} does not offer Basic authentication for EWS (only NTLM/Negotiate). Enable Basic authentication on the EWS virtual directory, or use another server.`, 'Configuration');
  }
  if (response.status === 401) {
    return fail(`${response.host} rejected the user name or password of ${user} (HTTP 401). Check the account (DOMAIN\\user or user@domain) and its password.`, 'BadCredential');
  }
  if (response.status === 403) {
    return fail(`${response.host} refused ${user} (HTTP 403): the account lacks the rights backup needs (a mailbox and impersonation rights, e.g. Organization Management).`, 'ConsentMissing');
  }
  const answer = readEwsAnswer(response);
  if (answer.ok) return pass(`Signed in to EWS on ${response.host} as ${user}; reading the mailbox root worked.`);
  if (answer.code === 'ErrorNonExistentMailbox') {
    return fail(`EWS on ${response.host} accepted ${user}, but the account has no mailbox (${describeEwsAnswer(answer)}). Use a mailbox-enabled account.`, 'NotFound');
  }
  return fail(`EWS on ${response.host} answered HTTP ${response.status} (${describeEwsAnswer(answer)}).`, 'Unknown');
}
