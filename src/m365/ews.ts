import type { HttpResponse } from './transport.js';
import { serverText } from './errors.js';

/** EWS SOAP and Autodiscover POX: the few messages the checks send, and reading their answers. */

export const EWS_ONLINE_URL = 'https://outlook.office365.com/EWS/Exchange.asmx';

export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** GetFolder on msgfolderroot, optionally impersonating a mailbox (app-only EWS). */
export function getFolderEnvelope(impersonate?: string): string {
  const impersonation = impersonate
    ? `<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${xmlEscape(impersonate)}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>`
    : '';
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"',
    ' xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"',
    ' xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">',
    `<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/>${impersonation}</soap:Header>`,
    '<soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>',
    '<m:FolderIds><t:DistinguishedFolderId Id="msgfolderroot"/></m:FolderIds></m:GetFolder></soap:Body>',
    '</soap:Envelope>',
  ].join('');
}

export const SOAP_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml' } as const;

function firstTag(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<(?:[\\w-]+:)?${tag}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${tag}>`).exec(xml);
  return match?.[1]?.trim();
}

export interface EwsAnswer {
  readonly ok: boolean;
  /** e.g. ErrorNonExistentMailbox, or a SOAP fault string. */
  readonly code?: string;
  readonly text?: string;
}

/** Reads a GetFolder answer: success, an EWS ResponseCode, or a SOAP fault. */
export function readEwsAnswer(response: HttpResponse): EwsAnswer {
  const body = response.text;
  const responseClass = /ResponseClass="(\w+)"/.exec(body)?.[1];
  const code = firstTag(body, 'ResponseCode');
  if (response.status === 200 && responseClass === 'Success' && (!code || code === 'NoError')) return { ok: true };
  const fault = firstTag(body, 'faultstring');
  const text = firstTag(body, 'MessageText') ?? fault;
  return {
    ok: false,
    ...(code && code !== 'NoError' ? { code: serverText(code, 80) } : fault ? { code: 'SOAP fault' } : {}),
    ...(text ? { text: serverText(text, 200) } : {}),
  };
}

export function describeEwsAnswer(answer: EwsAnswer): string {
  if (answer.code && answer.text) return `${answer.code}: ${answer.text.replace(/\.$/, '')}`;
  return answer.code ?? answer.text ?? 'an unexpected answer';
}

/** Autodiscover (POX) request for an e-mail address. */
export function autodiscoverRequest(email: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">',
    `<Request><EMailAddress>${xmlEscape(email)}</EMailAddress>`,
    '<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>',
    '</Request></Autodiscover>',
  ].join('');
}

export interface AutodiscoverAnswer {
  readonly ewsUrl?: string;
  readonly redirectAddr?: string;
  readonly redirectUrl?: string;
  readonly error?: string;
}

export function readAutodiscover(xml: string): AutodiscoverAnswer {
  const action = firstTag(xml, 'Action');
  if (action === 'redirectAddr') {
    const addr = firstTag(xml, 'RedirectAddr');
    if (addr) return { redirectAddr: addr };
  }
  if (action === 'redirectUrl') {
    const url = firstTag(xml, 'RedirectUrl');
    if (url) return { redirectUrl: url };
  }
  // Prefer the internal protocol (EXCH) and then the external one (EXPR): first EwsUrl found.
  const ewsUrl = firstTag(xml, 'EwsUrl') ?? firstTag(xml, 'ASUrl');
  if (ewsUrl) return { ewsUrl };
  const error = firstTag(xml, 'Message') ?? firstTag(xml, 'ErrorCode');
  return error ? { error: serverText(error, 200) } : {};
}
