/**
 * The words for file-system errors are decided once, in the store's io-errors (the store and the
 * storages must say "disk full (ENOSPC)" alike). Re-exported here so that the move to the shared
 * `src/fs/` module, once it is on main, changes this one line.
 */
export { describeIoError, errorCode, showPath } from '../fs/io-errors.js';
