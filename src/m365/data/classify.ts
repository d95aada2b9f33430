import { GraphCallError } from '../graph-client.js';
import { M365Error } from '../errors.js';

/**
 * Every failure of a data request, classified once (as corso's graph/errors.go does), so that the
 * engine decides by kind and never by reading messages:
 * - `no-mailbox`: the user has no usable mailbox / drive → skip the source, not a failure;
 * - `not-found`: the item or folder went away between listing and reading → skip the item;
 * - `invalid-delta`: the delta token or sync state expired → resync the folder from scratch;
 * - `throttled`: gave up after honouring Retry-After → the cycle ends with a clear failure;
 * - `access-denied`: 403 on one source (RBAC scope, policy) → skip the source and report;
 * - `unauthorized`: 401, the credentials no longer work → the cycle fails;
 * - `transient`: network reset, timeout, 5xx → retry the item, then report it;
 * - `item-error`: the server refuses this one item (corrupt data, malware) → skip and report;
 * - `cancelled`, `fatal` (anything else).
 */
export type DataFailure =
  | 'no-mailbox'
  | 'not-found'
  | 'invalid-delta'
  | 'throttled'
  | 'access-denied'
  | 'unauthorized'
  | 'transient'
  | 'item-error'
  | 'cancelled'
  | 'fatal';

const INVALID_DELTA = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid', 'resyncchangesapplydifferences', 'resyncchangesuploaddifferences', 'errorinvalidsyncstatedata', 'errorsyncstatenotfound']);
const NO_MAILBOX = new Set(['mailboxnotenabledforrestapi', 'mailboxnotfound', 'request_resourcenotfound', 'errorinvaliduser', 'errornonexistentmailbox']);
const NOT_FOUND = new Set(['resourcenotfound', 'erroritemnotfound', 'itemnotfound', 'errorfoldernotfound']);
const ITEM_ERRORS = new Set(['errorinvalidrecipients', 'errorcorruptdata', 'errorcannotopenfileattachment', 'malwaredetected', 'errormessagesizeexceeded']);

/** A non-2xx answer to a data request (Graph JSON error or EWS response code). */
export class DataCallError extends Error {
  override readonly name = 'DataCallError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly host: string,
  ) {
    super(message);
  }
}

function byCode(code: string | undefined): DataFailure | undefined {
  const c = code?.toLowerCase();
  if (!c) return undefined;
  if (INVALID_DELTA.has(c)) return 'invalid-delta';
  if (NO_MAILBOX.has(c)) return 'no-mailbox';
  if (NOT_FOUND.has(c)) return 'not-found';
  if (ITEM_ERRORS.has(c)) return 'item-error';
  if (c === 'errorserverbusy' || c === 'applicationthrottled' || c === 'toomanyrequests') return 'throttled';
  if (c === 'erroraccessdenied' || c === 'accessdenied' || c === 'errorimpersonateuserdenied') return 'access-denied';
  return undefined;
}

function byStatus(status: number): DataFailure {
  if (status === 410) return 'invalid-delta';
  if (status === 404) return 'not-found';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'access-denied';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'transient';
  return 'fatal';
}

export function classifyFailure(error: unknown): DataFailure {
  if (error instanceof DataCallError) return byCode(error.code) ?? byStatus(error.status);
  if (error instanceof GraphCallError) return byCode(error.code) ?? byStatus(error.status);
  if (error instanceof M365Error) {
    switch (error.category) {
      case 'Cancelled':
        return 'cancelled';
      case 'Throttled':
        return 'throttled';
      case 'Network':
      case 'Timeout':
        return 'transient';
      case 'BadCredential':
      case 'BasicAuthDisabled':
      case 'ConsentMissing':
      case 'AppNotFound':
      case 'CertNotRegistered':
        return 'unauthorized';
      default:
        return 'fatal';
    }
  }
  return 'fatal';
}

/** Whether the whole cycle must end (the next source would fail the same way). */
export function failsCycle(kind: DataFailure): boolean {
  return kind === 'unauthorized' || kind === 'throttled' || kind === 'cancelled';
}
