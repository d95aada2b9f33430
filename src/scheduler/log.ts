import { displayText } from '../domain/index.js';

/**
 * The service's log: one plain line per event on stderr (no colours, no progress bars), every
 * name and server text made safe for a terminal. Under systemd (stderr connected to the journal)
 * each line starts with its syslog priority (`<3>` error, `<4>` warning, `<6>` info) and no time,
 * since journald stamps it; elsewhere with an ISO time and the level in words.
 */

export type LogLevel = 'error' | 'warning' | 'info';

const PRIORITY: Readonly<Record<LogLevel, number>> = { error: 3, warning: 4, info: 6 };

export interface ServiceLog {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

export function createServiceLog(stream: NodeJS.WritableStream, options: { journal: boolean; now: () => Date }): ServiceLog {
  const write = (level: LogLevel, message: string) => {
    // Messages are ours, with names and server text inside: one line, nothing a terminal would act on.
    const text = displayText(message, { maxLength: 1000 });
    stream.write(options.journal ? `<${PRIORITY[level]}>${text}\n` : `${options.now().toISOString()} ${level} ${text}\n`);
  };
  return {
    info: (m) => write('info', m),
    warning: (m) => write('warning', m),
    error: (m) => write('error', m),
  };
}

/** A job as log lines name it: its name (quoted, safe) and id. */
export function jobLabel(job: { readonly id: string; readonly name: string }): string {
  return `job '${displayText(job.name, { maxLength: 80 })}' (${displayText(job.id, { maxLength: 60 })})`;
}
