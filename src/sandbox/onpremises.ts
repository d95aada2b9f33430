/**
 * The demo's on-premises servers (corp.contoso.com): Exchange 2019 EWS and Autodiscover, SharePoint
 * Server. On-premises keeps Basic Authentication, so these accept the service account's password and
 * answer everything else the way IIS does: 401 offering Negotiate, NTLM and Basic.
 */
import { ewsOperation, EXCHANGE_2019_VERSION, parseEwsRequest, soapFault } from './ews-soap.js';
import { basicCredentials, emptyReply, escapeXml, jsonReply, xmlReply, type Reply, type RequestContext } from './http.js';
import type { World } from './world.js';

export const EXCHANGE_HOST = 'ex01.corp.contoso.com';
export const AUTODISCOVER_HOST = 'autodiscover.corp.contoso.com';
export const SHAREPOINT_HOST = 'sp.corp.contoso.com';
export const ONPREM_HOSTS: readonly string[] = [EXCHANGE_HOST, AUTODISCOVER_HOST, SHAREPOINT_HOST];
export const EWS_URL = `https://${EXCHANGE_HOST}/EWS/Exchange.asmx`;

interface Account {
  readonly logons: readonly string[];
  readonly password: string;
  readonly smtp: string;
  readonly displayName: string;
  /** Member of Organization Management, hence allowed to impersonate (ApplicationImpersonation). */
  readonly mayImpersonate: boolean;
}

const ACCOUNTS: readonly Account[] = [
  {
    logons: ['corp\\svc-backup', 'corp.contoso.com\\svc-backup', 'svc-backup@corp.contoso.com'],
    password: 'S3rv1ce-Backup',
    smtp: 'svc-backup@corp.contoso.com',
    displayName: 'Backup Service Account',
    mayImpersonate: true,
  },
];

/** The on-premises mailboxes (sandbox.mail names them by SMTP address). */
export const MAILBOXES = [
  { smtp: 'svc-backup@corp.contoso.com', displayName: 'Backup Service Account', itemCount: 12 },
  { smtp: 'administrator@corp.contoso.com', displayName: 'Administrator', itemCount: 410 },
  { smtp: 'j.smith@corp.contoso.com', displayName: 'John Smith', itemCount: 2318 },
];

const IIS = { server: 'Microsoft-IIS/10.0', 'x-powered-by': 'ASP.NET' };

function challenge(host: string): Reply {
  return emptyReply(401, { ...IIS, 'www-authenticate': ['Negotiate', 'NTLM', `Basic realm="${host}"`] });
}

function authenticate(ctx: RequestContext): Account | undefined {
  const creds = basicCredentials(ctx);
  if (!creds) return undefined;
  const logon = creds.user.toLowerCase();
  return ACCOUNTS.find((a) => a.logons.includes(logon) && a.password === creds.password);
}

export function onPremisesHandler(ctx: RequestContext, world: World): Reply {
  const path = ctx.path.toLowerCase();
  const account = authenticate(ctx);
  switch (ctx.host) {
    case EXCHANGE_HOST: {
      if (path !== '/ews/exchange.asmx') return emptyReply(404, IIS);
      if (!account) return challenge(ctx.host);
      if (ctx.method !== 'POST') return emptyReply(405, IIS);
      const request = parseEwsRequest(ctx.body.toString('utf8'));
      const target = (request.impersonated ?? account.smtp).toLowerCase();
      const mailbox = MAILBOXES.find((m) => m.smtp === target);
      if (!mailbox) return soapFault('ErrorNonExistentMailbox', 'The SMTP address has no mailbox associated with it.');
      if (mailbox.smtp !== account.smtp && !account.mayImpersonate) {
        return soapFault('ErrorImpersonateUserDenied', 'The account does not have permission to impersonate the requested user.');
      }
      const store = { mailbox: world.data.onPremisesMailbox(mailbox.smtp, mailbox.displayName), tokens: world.data.tokens, now: ctx.now };
      return ewsOperation(request, { ...mailbox, store }, EXCHANGE_2019_VERSION);
    }
    case AUTODISCOVER_HOST: {
      if (path !== '/autodiscover/autodiscover.xml') return emptyReply(404, IIS);
      if (!account) return challenge(ctx.host);
      const email = ctx.method === 'POST' ? ctx.body.toString('utf8').match(/<EMailAddress>\s*([^<\s]+)\s*<\/EMailAddress>/i)?.[1] : undefined;
      if (!email) return autodiscoverError(ctx.now, 600, 'Invalid Request');
      const mailbox = MAILBOXES.find((m) => m.smtp === email.toLowerCase());
      if (!mailbox) return autodiscoverError(ctx.now, 500, "The email address can't be found.");
      return xmlReply(200, autodiscoverResponse(mailbox.smtp, mailbox.displayName), IIS);
    }
    case SHAREPOINT_HOST: {
      if (!account) return challenge(ctx.host);
      const m = path.match(/^\/_api\/(web|site)\/?$/);
      if (!m) return jsonReply(404, { 'odata.error': { code: '-2147024894, System.IO.FileNotFoundException', message: { lang: 'en-US', value: 'File Not Found.' } } }, IIS);
      const url = `https://${SHAREPOINT_HOST}`;
      const entity = m[1] === 'web' ? { Title: 'Corp Intranet', Url: url, Id: '1e0c5b7a-3f2d-4c8e-9a6b-7d5e4f3a2b10', ServerRelativeUrl: '/' } : { Id: '2f1d6c8b-4a3e-4d9f-8b7c-8e6f5a4b3c21', Url: url, ServerRelativeUrl: '/' };
      return jsonReply(200, entity, { ...IIS, 'content-type': 'application/json;odata=nometadata;charset=utf-8', microsoftsharepointteamservices: '16.0.0.10412' });
    }
    default:
      return emptyReply(404, IIS);
  }
}

function autodiscoverError(now: Date, code: number, message: string): Reply {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response>
    <Error Time="${now.toISOString().slice(11, 19)}" Id="2765232408">
      <ErrorCode>${code}</ErrorCode>
      <Message>${escapeXml(message)}</Message>
      <DebugData />
    </Error>
  </Response>
</Autodiscover>`;
  return xmlReply(200, xml, IIS);
}

function autodiscoverResponse(smtp: string, displayName: string): string {
  const alias = smtp.split('@')[0] ?? smtp;
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User>
      <DisplayName>${escapeXml(displayName)}</DisplayName>
      <LegacyDN>/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${escapeXml(alias)}</LegacyDN>
      <AutoDiscoverSMTPAddress>${escapeXml(smtp)}</AutoDiscoverSMTPAddress>
      <DeploymentId>5e0d2f1c-8b4a-4c3e-9f7d-6a5b4c3d2e1f</DeploymentId>
    </User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <MicrosoftOnline>False</MicrosoftOnline>
      <Protocol>
        <Type>EXCH</Type>
        <Server>${EXCHANGE_HOST}</Server>
        <ServerDN>/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX01</ServerDN>
        <ServerVersion>73C18880</ServerVersion>
        <AD>dc01.corp.contoso.com</AD>
        <ASUrl>${EWS_URL}</ASUrl>
        <EwsUrl>${EWS_URL}</EwsUrl>
        <EmwsUrl>${EWS_URL}</EmwsUrl>
        <OOFUrl>${EWS_URL}</OOFUrl>
        <OABUrl>https://${EXCHANGE_HOST}/OAB/</OABUrl>
      </Protocol>
      <Protocol>
        <Type>EXPR</Type>
        <Server>mail.corp.contoso.com</Server>
        <SSL>On</SSL>
        <AuthPackage>Basic</AuthPackage>
        <ASUrl>${EWS_URL}</ASUrl>
        <EwsUrl>${EWS_URL}</EwsUrl>
        <EmwsUrl>${EWS_URL}</EmwsUrl>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>`;
}
