/**
 * What each request is (its kind, for counting "the next cycle fetches only the changes"), whose
 * mailbox or library it touches, and whether it may run now: throttling storms set by the control
 * API (429/503 with Retry-After, ErrorServerBusy for EWS), Exchange's limit of concurrent requests
 * per mailbox ("Application is over its MailboxConcurrency limit."), and holds that park a mailbox's
 * requests so tests can fill that limit deterministically.
 */
import { randomUUID } from 'node:crypto';
import { clientRequestId, escapeXml, jsonReply, xmlReply, type Reply, type RequestContext } from '../http.js';

export type Service = 'identity' | 'graph' | 'ews' | 'sharepoint' | 'other';

export interface RequestTarget {
  readonly service: Service;
  readonly kind: string;
  /** The mailbox as the path or SOAP header names it (id, UPN or SMTP address), lower case. */
  readonly mailbox?: string;
  /** The drive (document library) id, or a site id, as the path names it. */
  readonly drive?: string;
}

export interface ThrottleRule {
  /** A mailbox (UPN, SMTP address or user id); omitted = any. */
  readonly mailbox?: string;
  /** A drive id or site key (see SandboxDrives); omitted = any. */
  readonly drive?: string;
  readonly service?: 'graph' | 'ews' | 'sharepoint';
  /** How many matching requests are refused; default 1. */
  readonly requests?: number;
  readonly retryAfterSeconds?: number;
  readonly status?: 429 | 503;
}

interface ArmedRule {
  readonly rule: ThrottleRule;
  /** Every spelling of the mailbox (resolved when the rule was set). */
  readonly mailboxKeys: readonly string[];
  readonly driveKeys: readonly string[];
  remaining: number;
}

export interface Admission {
  readonly reply?: Reply;
  readonly wait?: Promise<void>;
  release(): void;
}

const NOTHING: Admission = { release: () => undefined };

function graphThrottle(ctx: RequestContext, status: number, code: string, message: string, retryAfter: number): Reply {
  const requestId = randomUUID();
  return jsonReply(
    status,
    { error: { code, message, innerError: { date: ctx.now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId(ctx) } } },
    { 'retry-after': String(retryAfter), 'request-id': requestId },
  );
}

/** EWS says "slow down" with a SOAP fault carrying BackOffMilliseconds (HTTP 500, as Exchange Online sends it). */
export function ewsServerBusy(backOffMs: number): Reply {
  const text = 'The server cannot service this request right now. Try again later.';
  return xmlReply(
    500,
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode><faultstring xml:lang="en-US">${escapeXml(text)}</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${escapeXml(text)}</e:Message><t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">${backOffMs}</t:Value></t:MessageXml></detail></s:Fault></s:Body></s:Envelope>`,
  );
}

export class Traffic {
  private rules: ArmedRule[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly holds = new Map<string, { promise: Promise<void>; release: () => void }>();

  constructor(
    private readonly concurrency: number,
    /** Every key that names the same mailbox (id, UPN, SMTP), for matching paths to rules and holds. */
    private readonly mailboxKeys: (name: string) => readonly string[],
    private readonly driveKeys: (name: string) => readonly string[],
  ) {}

  throttle(rule: ThrottleRule): void {
    const requests = rule.requests ?? 1;
    if (!(requests > 0)) throw new Error('throttle.requests must be a positive number');
    this.rules.push({
      rule,
      mailboxKeys: rule.mailbox ? this.mailboxKeys(rule.mailbox) : [],
      driveKeys: rule.drive ? this.driveKeys(rule.drive) : [],
      remaining: requests,
    });
  }

  clearThrottles(): void {
    this.rules = [];
  }

  /** Parks the mailbox's Graph mail requests until released (they count as in flight meanwhile). */
  hold(mailbox: string): () => void {
    const keys = this.mailboxKeys(mailbox);
    const canonical = keys[0] ?? mailbox.toLowerCase();
    let release = (): void => undefined;
    const promise = new Promise<void>((resolve) => (release = resolve));
    const entry = { promise, release: () => release() };
    this.holds.set(canonical, entry);
    return () => {
      if (this.holds.get(canonical) === entry) this.holds.delete(canonical);
      entry.release();
    };
  }

  /** Requests of the mailbox being served right now (held ones included). */
  inFlightFor(mailbox: string): number {
    const canonical = this.mailboxKeys(mailbox)[0] ?? mailbox.toLowerCase();
    return this.inFlight.get(canonical) ?? 0;
  }

  admit(ctx: RequestContext, target: RequestTarget): Admission {
    const mailboxKeys = target.mailbox ? this.mailboxKeys(target.mailbox) : [];
    const driveKeys = target.drive && this.rules.length ? this.driveKeys(target.drive) : [];
    const hit = this.rules.find(
      (a) =>
        (a.rule.service === undefined || a.rule.service === target.service) &&
        (a.rule.mailbox === undefined || a.mailboxKeys.some((k) => mailboxKeys.includes(k))) &&
        (a.rule.drive === undefined || a.driveKeys.some((k) => driveKeys.includes(k))) &&
        (target.service === 'graph' || target.service === 'ews' || target.service === 'sharepoint'),
    );
    if (hit) {
      hit.remaining -= 1;
      if (hit.remaining <= 0) this.rules = this.rules.filter((a) => a !== hit);
      const seconds = hit.rule.retryAfterSeconds ?? 1;
      const status = hit.rule.status ?? 429;
      if (target.service === 'ews') return { reply: ewsServerBusy(seconds * 1000), release: NOTHING.release };
      if (target.drive !== undefined || target.service === 'sharepoint') {
        return { reply: graphThrottle(ctx, status, status === 503 ? 'serviceNotAvailable' : 'activityLimitReached', 'The request has been throttled', seconds), release: NOTHING.release };
      }
      return { reply: graphThrottle(ctx, status, status === 503 ? 'ServiceUnavailable' : 'TooManyRequests', status === 503 ? 'Service Unavailable' : 'Please retry after', seconds), release: NOTHING.release };
    }
    if (target.service !== 'graph' || !target.kind.startsWith('mail.') || !target.mailbox) return NOTHING;
    const key = mailboxKeys[0] ?? target.mailbox;
    const now = this.inFlight.get(key) ?? 0;
    if (now >= this.concurrency) {
      return { reply: graphThrottle(ctx, 429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', 1), release: NOTHING.release };
    }
    this.inFlight.set(key, now + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    };
    const held = this.holds.get(key);
    return held ? { wait: held.promise, release } : { release };
  }
}
