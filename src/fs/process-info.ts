import { readFileSync } from 'node:fs';
import { errorCode } from './io-errors.js';

/** Linux reports process start times in clock ticks of USER_HZ, which is 100 on every architecture Node runs on. */
const MS_PER_TICK = 10;
/** btime has whole-second resolution. */
const SLACK_MS = 2_000;

let bootTimeMs: number | null | undefined;

function bootTime(): number | null {
  if (bootTimeMs === undefined) {
    try {
      const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('btime '));
      bootTimeMs = line ? Number(line.slice(6)) * 1000 : null;
    } catch {
      bootTimeMs = null;
    }
  }
  return bootTimeMs;
}

/** When a process started (ms since the epoch), where /proc tells; undefined elsewhere. */
export function processStartMs(pid: number): number | undefined {
  const boot = bootTime();
  if (boot === null) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22, starttime
    return Number.isFinite(ticks) ? boot + ticks * MS_PER_TICK : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process that wrote something at `since` may still be running. A pid is reused
 * once the counter wraps (busy hosts wrap in minutes), so a live process that started after
 * `since` is a different one.
 */
export function isProcessAlive(pid: number, since?: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if (errorCode(error) !== 'EPERM') return false;
  }
  if (since === undefined || !Number.isFinite(since)) return true;
  const started = processStartMs(pid);
  return started === undefined || started <= since + SLACK_MS;
}
