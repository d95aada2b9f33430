import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { M365Error } from './api.js';
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
      const error = new M365Error(
        'Network',
        `${response.host} returned a response that is not valid JSON (HTTP ${response.status}).`,
        undefined,
        'A proxy, firewall or captive portal may be answering instead of Microsoft; check the network path.',
      );
      capture.transportError = error;
      throw error;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      const error = new M365Error('Network', `${response.host} returned an unexpected JSON response (HTTP ${response.status}).`);
      capture.transportError = error;
      throw error;
    }
    const record = body as Record<string, unknown>;
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
