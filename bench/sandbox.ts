/**
 * The sandbox tenant as a data source: start-up (seeding is lazy), delta enumeration, MIME and file
 * serving rates over loopback, and the memory a 1 GB mailbox costs it while every byte is read.
 * Client and sandbox share this process, so the rates are a floor for what an engine sees.
 */
import type { BenchRow } from './run.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { appToken, deltaRound, fetchRaw, G } from '../test/sandbox/data-helpers.js';

async function drain(s: Sandbox, url: string, token?: string): Promise<number> {
  const res = await fetchRaw(s, url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  let bytes = 0;
  for await (const chunk of res.body ?? []) bytes += (chunk as Uint8Array).length;
  return bytes;
}

export async function benchSandbox(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];

  let t = performance.now();
  const plain = await startSandbox();
  rows.push({ name: 'startSandbox() with default data', value: performance.now() - t, unit: 'ms' });
  await plain.close();

  const s = await startSandbox({ data: { messages: 10_000, largeMessages: 0, files: 2_000, largeFiles: 1, largeFileBytes: 256 * 1024 * 1024 } });
  try {
    const token = await appToken(s, ['Mail.Read', 'Sites.Read.All']);
    t = performance.now();
    const round = await deltaRound<{ id: string }>(s, `${G}/users/ceo@contoso.com/mailFolders/inbox/messages/delta?$select=subject,receivedDateTime,isRead`, token, 500);
    const seconds = (performance.now() - t) / 1000;
    rows.push({ name: `messages/delta, first round (${round.items.length} messages, pages of 500)`, value: round.items.length / seconds, unit: 'msg/s' });
    t = performance.now();
    await deltaRound(s, round.deltaLink, token, 500);
    rows.push({ name: 'messages/delta, next round with no changes', value: performance.now() - t, unit: 'ms' });

    const ids = round.items.slice(0, 2_000).map((m) => m.id);
    let next = 0;
    let bytes = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const n = await drain(s, `${G}/users/ceo@contoso.com/messages/${ids[next++]}/$value`, token);
        bytes += n;
      }
    };
    t = performance.now();
    await Promise.all([worker(), worker(), worker(), worker()]);
    const mimeSeconds = (performance.now() - t) / 1000;
    rows.push({ name: `$value, 4 concurrent (avg ${Math.round(bytes / ids.length / 1024)} KB)`, value: ids.length / mimeSeconds, unit: 'msg/s', target: '≥ 300 (whole backup)' });

    const site = 'contoso.sharepoint.com/sites/finance';
    const drive = s.drives.list(site)[0]?.id ?? '';
    t = performance.now();
    const tree = await deltaRound<{ id: string }>(s, `${G}/drives/${drive}/root/delta?$top=1000`, token);
    rows.push({ name: `root/delta, first round (${tree.items.length} items)`, value: tree.items.length / ((performance.now() - t) / 1000), unit: 'items/s' });
    const large = s.drives.items(site).find((i) => i.kind === 'file' && i.size > 200 * 1024 * 1024);
    const redirect = await fetchRaw(s, `${G}/drives/${drive}/items/${large?.id}/content`, { headers: { authorization: `Bearer ${token}` } });
    t = performance.now();
    const size = await drain(s, redirect.headers.get('location') ?? '');
    rows.push({ name: 'download of a 256 MB file', value: size / 1024 / 1024 / ((performance.now() - t) / 1000), unit: 'MB/s' });
  } finally {
    await s.close();
  }

  // About 1 GB in one mailbox: 100 Inbox messages with 8 MiB attachments (base64 in MIME), every byte read through $value.
  const big = await startSandbox({ data: { messages: 200, largeMessages: 100, largeMessageBytes: 8 * 1024 * 1024 } });
  try {
    const token = await appToken(big, ['Mail.Read']);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let total = 0;
    t = performance.now();
    for (const folder of big.mail.folders('ceo@contoso.com')) {
      for (const m of big.mail.messages('ceo@contoso.com', folder.id)) {
        const n = await drain(big, `${G}/users/ceo@contoso.com/messages/${m.id}/$value`, token);
        total += n;
      }
    }
    clearInterval(sampler);
    rows.push({ name: `a ${Math.round(total / 1024 / 1024)} MB mailbox read through $value`, value: total / 1024 / 1024 / ((performance.now() - t) / 1000), unit: 'MB/s' });
    rows.push({ name: 'peak RSS growth while serving it (client in the same process)', value: (peak - before) / 1024 / 1024, unit: 'MB' });
  } finally {
    await big.close();
  }
  return rows;
}
