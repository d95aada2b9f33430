import { M365Error } from './errors.js';

/** Time in messages, waits that a cancel ends, Retry-After, and the words for giving up on throttling. */

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

export function cancelledError(): M365Error {
  return new M365Error('Cancelled', 'Cancelled.');
}

/** Waits, or rejects with Cancelled as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After in milliseconds: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** 429/503 after the retries: "throttled" or "unavailable", with when to try again. */
export function throttled(response: { status: number; host: string }, attempts: number, after: number | undefined): M365Error {
  const tried = attempts > 1 ? ` after ${attempts} attempts` : '';
  // The advice is the message's last sentence and deliberately not also a hint: every reader of
  // an M365Error shows `message + hint`, which printed "Try again …" twice.
  const again = after !== undefined ? ` Try again in ${formatSeconds(Math.ceil(after / 1000) * 1000)}.` : ' Try again in a few minutes.';
  if (response.status === 429 || after !== undefined) {
    return new M365Error('Throttled', `${response.host} throttled the requests (HTTP ${response.status}); gave up${tried}.${again}`);
  }
  return new M365Error('Throttled', `${response.host} is unavailable (HTTP 503); gave up${tried}.${again}`);
}
