import type { Command } from 'commander';

/** Every command takes --store and --demo (contracts §7). */
export function addStoreOptions(command: Command): Command {
  return command
    .option('--store <path>', 'store file (default: $BACKUP_PANEL_STORE or ~/.local/share/backup-panel/store.json)')
    .option('--demo', 'use a fresh copy of the sample store, with the sandbox tenant for Microsoft 365');
}
