#!/usr/bin/env node
// Entry point: placeholder until the commands land.
process.stdout.write('backup-panel\n');
