import type { Command } from 'commander';

/** Every command takes --store and --demo (contracts §7), and --keep-demo. */
export function addStoreOptions(command: Command): Command {
  return command
    .option('--store <path>', 'store file (default: $BACKUP_PANEL_STORE or ~/.local/share/backup-panel/store.json)')
    .option('--demo', 'use a fresh copy of the sample store, with the sandbox tenant for Microsoft 365 (removed at exit)')
    .option('--keep-demo', 'with --demo: keep the demo folder at exit');
}
