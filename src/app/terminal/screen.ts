/** Escape sequences the app writes itself (Ink 6.8 has no alternate-screen option). */
export const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h';
export const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';
export const CLEAR_SCREEN = '\x1b[2J\x1b[H';
export const SHOW_CURSOR = '\x1b[?25h';

/** The one line printed when the panel cannot run interactively. */
export const NOT_A_TTY_MESSAGE =
  'backup-panel: the panel needs an interactive terminal (stdin and stdout must be a TTY). For scripts use the commands: backup-panel connections list | alerts list | jobs list | check (see backup-panel --help).';
