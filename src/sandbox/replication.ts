/**
 * Entra ID is eventually consistent, and not in one piece: Microsoft Graph's directory replicas and
 * the token service (STS) catch up with a new object each at their own pace. Right after the panel
 * creates an app, its service principal, a key or a role grant, a real tenant answers:
 *
 * - Graph writes 201 while Graph reads of the same object still answer 404;
 * - a reference to the new object (appRoleAssignedTo with the new principal, a service principal
 *   for the new appId) is refused as "does not exist";
 * - the token endpoint answers AADSTS700016 (app unknown), then AADSTS7000229 (app known, service
 *   principal missing), AADSTS700027 (key unknown), or issues tokens without the new roles.
 *
 * Every object created through Graph gets two moments, drawn at random within the lag bounds: when
 * Graph reads see it and when the STS does. Objects made through the control API (what an admin did
 * by hand long ago) are visible at once, unless the fixed `newAppUnavailableMs` window says
 * otherwise (it applies to everything new). Each refusal caused by lag is counted in `events`, so a
 * test can show that the panel went through it.
 */

export interface LagBounds {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Small enough to keep the test suite fast, large enough that every step meets it. */
export const DEFAULT_LAG: LagBounds = { minMs: 100, maxMs: 800 };

export interface Replica {
  /** Graph reads (and references from other objects) see the object from this time on. */
  readonly graphAt: number;
  /** The token service sees it from this time on. */
  readonly stsAt: number;
}

export const SEEDED: Replica = { graphAt: 0, stsAt: 0 };

export type LagEventKind =
  /** AADSTS700016: the STS does not know the new app yet. */
  | 'token-app-unknown'
  /** AADSTS7000229: the STS knows the app but not its new service principal. */
  | 'token-service-principal-missing'
  /** AADSTS700027 / 7000215: a new key or secret has not reached the STS. */
  | 'token-credential-unknown'
  /** A token issued without roles granted moments ago. */
  | 'token-roles-missing'
  /** A Graph read answered 404 for an object that exists. */
  | 'graph-read-not-found'
  /** A Graph write refused a reference to a new object (service principal for a new appId, a grant to a new principal). */
  | 'graph-reference-not-found';

export interface LagEvent {
  readonly kind: LagEventKind;
  readonly at: number;
}

export class Replication {
  readonly events: LagEvent[] = [];

  constructor(
    private readonly clock: () => number,
    /** newAppUnavailableMs: a fixed window for everything new, control API included. */
    private readonly fixedMs: number,
    private readonly lag: LagBounds | undefined,
  ) {}

  private sample(): number {
    if (!this.lag) return 0;
    const { minMs, maxMs } = this.lag;
    return minMs + Math.random() * Math.max(0, maxMs - minMs);
  }

  /** The replica times of an object created now; `viaGraph` = made by a Graph write (lags). */
  stamp(viaGraph: boolean): Replica {
    const now = this.clock();
    return {
      graphAt: now + Math.max(this.fixedMs, viaGraph ? this.sample() : 0),
      stsAt: now + Math.max(this.fixedMs, viaGraph ? this.sample() : 0),
    };
  }

  graphVisible(replica: Replica): boolean {
    return this.clock() >= replica.graphAt;
  }

  stsVisible(replica: Replica): boolean {
    return this.clock() >= replica.stsAt;
  }

  note(kind: LagEventKind): void {
    this.events.push({ kind, at: this.clock() });
  }
}
