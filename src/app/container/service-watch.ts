import type { ServiceLiveness } from '../../domain/index.js';
// The single module, not the services barrel: loaded right after the first frame.
import { serviceLiveness } from '../../services/service-status.js';
import type { ServiceContext } from '../../services/context.js';

/**
 * Whether the backup service runs, for the service-stopped alert on an open panel. A service that
 * stops cleanly rewrites its file, but a killed one changes nothing on disk: only its pid going
 * away tells, so this reads the small service file (and tests the pid) every `everyMs` rather than
 * watching it. `onChange` gets a new value only when running or last-seen changed.
 */
export function watchServiceLiveness(ctx: Pick<ServiceContext, 'store' | 'now'>, everyMs: number, onChange: (service: ServiceLiveness) => void): () => void {
  let last: ServiceLiveness | undefined;
  let stopped = false;
  let busy = false;
  const poll = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const now = await serviceLiveness(ctx);
      if (stopped || (last && last.running === now.running && last.lastSeen === now.lastSeen)) return;
      last = now;
      onChange(now);
    } catch {
      // An unreadable runs folder says nothing either way: keep what was shown, try again.
    } finally {
      busy = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), Math.max(100, everyMs));
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
