/**
 * Just enough of EWS's SOAP to answer a connectivity check: GetFolder / FindFolder on well-known folders
 * of one mailbox, and SOAP faults. Parsing is by pattern because requests here are small and generated
 * by known clients; a real XML parser would be a dependency for no gain.
 */
import { createHash } from 'node:crypto';
import { escapeXml, xmlReply, type Reply } from './http.js';
import { ewsMailOperation, type MailboxData } from './ews-mail.js';

export interface Mailbox {
  readonly smtp: string;
  readonly displayName: string;
  readonly itemCount: number;
  /** The mailbox's data: sync, GetItem, CreateItem and real folder ids (ews-mail.ts). */
  readonly store?: MailboxData;
}

export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  readonly revision: number;
  readonly schema: string;
}

export const EXCHANGE_ONLINE_VERSION: ServerVersion = { major: 15, minor: 20, build: 8769, revision: 24, schema: 'V2018_01_08' };
export const EXCHANGE_2019_VERSION: ServerVersion = { major: 15, minor: 2, build: 1544, revision: 4, schema: 'V2017_07_11' };

export interface EwsRequest {
  /** The whole SOAP request. */
  readonly xml: string;
  /** First element in the SOAP body, e.g. GetFolder. */
  readonly operation: string | undefined;
  /** SMTP address in the ExchangeImpersonation header, if any. */
  readonly impersonated: string | undefined;
  readonly distinguishedFolderIds: readonly string[];
}

export function parseEwsRequest(xml: string): EwsRequest {
  const impersonation = xml.match(/<(?:[\w-]+:)?ExchangeImpersonation\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?ExchangeImpersonation>/)?.[1];
  const impersonated = impersonation?.match(/<(?:[\w-]+:)?(?:PrimarySmtpAddress|SmtpAddress)>\s*([^<\s]+)\s*</)?.[1];
  const operation = xml.match(/<(?:[\w-]+:)?Body\b[^>]*>\s*<(?:[\w-]+:)?([A-Za-z]+)/)?.[1];
  const distinguishedFolderIds = [...xml.matchAll(/<(?:[\w-]+:)?DistinguishedFolderId\b[^>]*\bId\s*=\s*["']([^"']+)["']/g)].map((m) => m[1] ?? '');
  return { xml, operation, impersonated, distinguishedFolderIds };
}

const FOLDERS: Record<string, { name: string; element: string; share: number }> = {
  root: { name: 'Root', element: 'Folder', share: 0 },
  msgfolderroot: { name: 'Top of Information Store', element: 'Folder', share: 0 },
  inbox: { name: 'Inbox', element: 'Folder', share: 0.7 },
  sentitems: { name: 'Sent Items', element: 'Folder', share: 0.2 },
  drafts: { name: 'Drafts', element: 'Folder', share: 0.01 },
  deleteditems: { name: 'Deleted Items', element: 'Folder', share: 0.05 },
  junkemail: { name: 'Junk Email', element: 'Folder', share: 0.02 },
  outbox: { name: 'Outbox', element: 'Folder', share: 0 },
  calendar: { name: 'Calendar', element: 'CalendarFolder', share: 0 },
  contacts: { name: 'Contacts', element: 'ContactsFolder', share: 0 },
  tasks: { name: 'Tasks', element: 'TasksFolder', share: 0 },
};

export const TYPES = 'http://schemas.microsoft.com/exchange/services/2006/types';
export const MESSAGES = 'http://schemas.microsoft.com/exchange/services/2006/messages';

export function envelope(version: ServerVersion, body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo MajorVersion="${version.major}" MinorVersion="${version.minor}" MajorBuildNumber="${version.build}" MinorBuildNumber="${version.revision}" Version="${version.schema}" xmlns:h="${TYPES}" xmlns="${TYPES}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"/></s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

/** A SOAP fault as EWS sends it (HTTP 500). */
export function soapFault(code: string, message: string): Reply {
  const body = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="${TYPES}">a:${code}</faultcode><faultstring xml:lang="en-US">${escapeXml(message)}</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${code}</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${escapeXml(message)}</e:Message></detail></s:Fault></s:Body></s:Envelope>`;
  return xmlReply(500, body);
}

function folderXml(mailbox: Mailbox, id: string): string {
  const f = FOLDERS[id];
  if (!f) return '';
  const hash = createHash('sha256').update(`${mailbox.smtp.toLowerCase()}/${id}`).digest('base64');
  const total = Math.round(mailbox.itemCount * f.share);
  const children = id === 'msgfolderroot' ? Object.keys(FOLDERS).length - 2 : 0;
  const counts = f.element === 'Folder' ? `<t:TotalCount>${total}</t:TotalCount><t:ChildFolderCount>${children}</t:ChildFolderCount><t:UnreadCount>${Math.min(total, 3)}</t:UnreadCount>` : `<t:TotalCount>${total}</t:TotalCount><t:ChildFolderCount>0</t:ChildFolderCount>`;
  return `<t:${f.element}><t:FolderId Id="AAMkAD${hash}AAA=" ChangeKey="AQAAABYAAAA${hash.slice(0, 12)}"/><t:DisplayName>${escapeXml(f.name)}</t:DisplayName>${counts}</t:${f.element}>`;
}

/** Answers the operation for a mailbox the caller may open. */
export function ewsOperation(request: EwsRequest, mailbox: Mailbox, version: ServerVersion): Reply {
  const handled = mailbox.store && ewsMailOperation(request, mailbox.store, version);
  if (handled) return handled;
  switch (request.operation) {
    case 'GetFolder': {
      const ids = request.distinguishedFolderIds.length ? request.distinguishedFolderIds : ['msgfolderroot'];
      const messages = ids
        .map((id) => {
          const xml = folderXml(mailbox, id.toLowerCase());
          return xml
            ? `<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders>${xml}</m:Folders></m:GetFolderResponseMessage>`
            : '<m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>The specified folder could not be found in the store.</m:MessageText><m:ResponseCode>ErrorFolderNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:Folders/></m:GetFolderResponseMessage>';
        })
        .join('');
      return xmlReply(200, envelope(version, `<m:GetFolderResponse xmlns:m="${MESSAGES}" xmlns:t="${TYPES}"><m:ResponseMessages>${messages}</m:ResponseMessages></m:GetFolderResponse>`));
    }
    case 'FindFolder': {
      const children = Object.keys(FOLDERS).filter((f) => f !== 'root' && f !== 'msgfolderroot');
      const folders = children.map((f) => folderXml(mailbox, f)).join('');
      return xmlReply(
        200,
        envelope(
          version,
          `<m:FindFolderResponse xmlns:m="${MESSAGES}" xmlns:t="${TYPES}"><m:ResponseMessages><m:FindFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:RootFolder TotalItemsInView="${children.length}" IncludesLastItemInRange="true"><t:Folders>${folders}</t:Folders></m:RootFolder></m:FindFolderResponseMessage></m:ResponseMessages></m:FindFolderResponse>`,
        ),
      );
    }
    case undefined:
      return soapFault('ErrorSchemaValidation', 'The request failed schema validation: Data at the root level is invalid.');
    default:
      return soapFault('ErrorInvalidRequest', `The request is valid but the sandbox does not implement '${request.operation}'.`);
  }
}
