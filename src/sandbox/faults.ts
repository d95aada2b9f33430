/** Fault injection: throttling, outages, slow or hung servers, broken connections, garbage bodies. */

export type FaultResponse =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { delayMs: number }
  /** The real answer (status, headers, full Content-Length), cut off after this many body bytes. */
  | { resetAfterBytes: number }
  | 'hang'
  | 'reset';

export interface Fault {
  host?: string;
  path?: string | RegExp;
  method?: string;
  /** How many matching requests get the fault; default 1, Infinity allowed. */
  times?: number;
  respond: FaultResponse;
}

interface ArmedFault {
  readonly fault: Fault;
  remaining: number;
}

export class FaultTable {
  private armed: ArmedFault[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error('fault.times must be a positive number or Infinity');
    validateResponse(fault.respond);
    this.armed.push({ fault, remaining: times });
  }

  clear(): void {
    this.armed = [];
  }

  /** The first armed fault matching the request, consuming one of its uses. */
  take(host: string, path: string, method: string): FaultResponse | undefined {
    const hit = this.armed.find(({ fault }) => matches(fault, host, path, method));
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.fault.respond;
  }
}

function matches(fault: Fault, host: string, path: string, method: string): boolean {
  if (fault.host !== undefined && fault.host.toLowerCase() !== host) return false;
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false;
  if (fault.path === undefined) return true;
  if (typeof fault.path === 'string') return fault.path === path || fault.path.toLowerCase() === path.toLowerCase();
  fault.path.lastIndex = 0;
  return fault.path.test(path);
}

function validateResponse(respond: FaultResponse): void {
  if (respond === 'hang' || respond === 'reset') return;
  if (typeof respond === 'object' && respond !== null) {
    if ('delayMs' in respond && typeof respond.delayMs === 'number' && respond.delayMs >= 0) return;
    if ('resetAfterBytes' in respond && Number.isInteger(respond.resetAfterBytes) && respond.resetAfterBytes >= 0) return;
    if ('status' in respond && Number.isInteger(respond.status) && respond.status >= 100 && respond.status <= 599) return;
  }
  throw new Error(`invalid fault response: ${JSON.stringify(respond)}`);
}

/** A fault sent over HTTP as JSON: path may be {regex, flags}; times may be "Infinity". */
export function faultFromJson(input: unknown): Fault {
  if (typeof input !== 'object' || input === null) throw new Error('fault must be a JSON object');
  const o = input as Record<string, unknown>;
  const fault: Fault = { respond: o.respond as FaultResponse };
  if (typeof o.host === 'string') fault.host = o.host;
  if (typeof o.method === 'string') fault.method = o.method;
  if (typeof o.path === 'string') fault.path = o.path;
  else if (typeof o.path === 'object' && o.path !== null && typeof (o.path as { regex?: unknown }).regex === 'string') {
    const p = o.path as { regex: string; flags?: unknown };
    fault.path = new RegExp(p.regex, typeof p.flags === 'string' ? p.flags : '');
  } else if (typeof o.pathRegex === 'string') fault.path = new RegExp(o.pathRegex);
  if (o.times === 'Infinity' || o.times === null || o.times === -1) fault.times = Infinity;
  else if (typeof o.times === 'number') fault.times = o.times;
  return fault;
}
