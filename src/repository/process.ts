/**
 * Whether a lock's or temp file's process still runs (pid reuse included) is decided once, in the
 * store's process-info; re-exported so the move to the shared `src/fs/` module changes this line.
 */
export { isProcessAlive } from '../fs/process-info.js';
