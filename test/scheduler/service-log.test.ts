import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createServiceLog } from '../../src/scheduler/index.js';
import { jobLabel } from '../../src/scheduler/log.js';

function capture(journal: boolean) {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (d: string) => (text += d));
  const log = createServiceLog(stream, { journal, now: () => new Date('2026-12-03T17:00:00.000Z') });
  return { log, text: () => text };
}

describe('the service log', () => {
  it('writes one line per event: a time and a level in a terminal, the syslog priority for journald', () => {
    const plain = capture(false);
    plain.log.info('started');
    plain.log.error('cycle failed');
    expect(plain.text()).toBe('2026-12-03T17:00:00.000Z info started\n2026-12-03T17:00:00.000Z error cycle failed\n');
    const journal = capture(true);
    journal.log.info('started');
    journal.log.warning('slow');
    journal.log.error('failed');
    expect(journal.text()).toBe('<6>started\n<4>slow\n<3>failed\n');
  });

  it('keeps a hostile job name or server text to one line a terminal cannot act on', () => {
    const { log, text } = capture(true);
    const name = 'Mail\x1b]0;owned\x07\x1b[2J\nfake line\r\u202e';
    log.error(`${jobLabel({ id: 'j-1', name })}: cycle failed; server said \x1b[31mno\x1b[0m\nsecond line`);
    const out = text();
    expect(out.endsWith('\n')).toBe(true);
    expect(out.slice(0, -1)).not.toMatch(/[\n\r\u202e]/);
    expect([...out.slice(0, -1)].filter((ch) => ch < ' ' || ch === '\x7f')).toEqual([]);
    expect(out).toMatch(/^<3>job 'Mail.*' \(j-1\): cycle failed; server said .*no.*second line\n$/);
  });
});
