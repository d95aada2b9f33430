import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { M365Error } from './api.js';
import { serverFault } from '../m365/errors.js';
import type { Capture, EntraErrorBody } from './errors.js';
import type { Transport } from '../m365/transport.js';

/**
 * msal-node's `INetworkModule` on our transport (microsoft365.md §7):
 * - every HTTP response, including 400/401/429/5xx, is RETURNED as `{headers, body, status}` with
 *   lower-case header names and the parsed JSON body — never thrown (the first device-code poll is
 *   a 400 `authorization_pending`);
 * - the raw Entra error body (error, error_description, error_codes, suberror) is kept in `capture`,
 *   because msal-node drops it for device code (`post_request_failed`) and for `/devicecode`
 *   failures (empty callback);
 * - a transport failure is kept in `capture` too (msal-node wraps foreign errors into a generic
 *   `network_error`), then thrown so that msal stops;
 * - `slow_down` while polling is handed to msal as `authorization_pending` (msal-node treats any
 *   other error as terminal), so polling simply continues at its interval.
 */
export function createMsalNetworkModule(transport: Transport, capture: Capture, signal?: AbortSignal): INetworkModule {
  async function send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    let response;
    try {
      response = await transport.send({
        method,
        url,
        headers: { ...(options?.headers ?? {}) },
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        // Token and device-code requests change nothing that a repeat would spoil: retried on 429/503.
        idempotent: true,
        ...(signal ? { signal } : {}),
        ...(timeout ? { timeoutMs: timeout } : {}),
      });
    } catch (error) {
      if (error instanceof M365Error) capture.transportError = error;
      throw error;
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = undefined;
    }
    // Anything but an object is not Entra's answer; an object whose `error` is not a string (a
    // gateway's {"error":{…}}) is not either: msal-node would print it as "[object Object]".
    const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (!record || (typeof record.error !== 'string' && (record.error !== undefined || response.status >= 300))) {
      const error = unexpectedAnswer(response.host, response.status, response.headers, response.text, record !== undefined);
      capture.transportError = error;
      throw error;
    }
    if (typeof record.error === 'string') {
      if (record.error === 'slow_down') {
        record.error = 'authorization_pending';
      } else if (record.error !== 'authorization_pending') {
        capture.entraError = pickEntraError(record, response.status);
      }
    }
    return { headers: { ...response.headers }, body: record as T, status: response.status };
  }
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>('GET', url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('POST', url, options),
  };
}

function pickEntraError(record: Record<string, unknown>, status: number): EntraErrorBody {
  const codes = Array.isArray(record.error_codes) ? record.error_codes.filter((c): c is number => typeof c === 'number') : undefined;
  return {
    error: String(record.error),
    ...(typeof record.error_description === 'string' ? { error_description: record.error_description } : {}),
    ...(codes && codes.length > 0 ? { error_codes: codes } : {}),
    ...(typeof record.suberror === 'string' ? { suberror: record.suberror } : {}),
    status,
  };
}

/** Not an answer from Microsoft Entra ID: a server fault, a redirect, or something in between. */
function unexpectedAnswer(host: string, status: number, headers: Readonly<Record<string, string>>, text: string, isJson: boolean): M365Error {
  if (status >= 500) return serverFault(host, status, text);
  if (status >= 300 && status < 400) {
    return new M365Error(
      'Network',
      `${host} answered with a redirect (HTTP ${status}) instead of signing in.`,
      undefined,
      'A proxy, firewall or captive portal is probably answering instead of Microsoft; check the network path.',
    );
  }
  return new M365Error(
    'Network',
    isJson ? `${host} returned an unexpected JSON response (HTTP ${status}).` : `${host} returned a response that is not valid JSON (HTTP ${status}).`,
    undefined,
    headers['content-type']?.includes('html') || !isJson
      ? 'A proxy, firewall or captive portal may be answering instead of Microsoft; check the network path.'
      : undefined,
  );
}
