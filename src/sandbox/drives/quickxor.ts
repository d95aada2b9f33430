/**
 * QuickXorHash, the hash OneDrive for Business and SharePoint report in `file.hashes.quickXorHash`:
 * each byte XORed into a 160-bit circular register at bit offset (position × 11) mod 160, then the
 * length XORed into the last 8 bytes (little-endian), base64. Bytes 160 positions apart land on the
 * same offset, so the input is first folded into 160 column XORs.
 */
import type { ByteSource } from '../data/bytes.js';

export class QuickXor {
  private readonly columns = new Uint8Array(160);
  private readonly words = new Uint32Array(this.columns.buffer);
  private length = 0;

  update(data: Uint8Array): void {
    let i = 0;
    let col = this.length % 160;
    // Bytewise up to a 160-byte boundary, then 40 words per block while the input is 4-byte aligned.
    for (; i < data.length && col !== 0; i++) {
      this.columns[col] = (this.columns[col] ?? 0) ^ (data[i] ?? 0);
      col = col === 159 ? 0 : col + 1;
    }
    if ((data.byteOffset + i) % 4 === 0) {
      const blocks = Math.floor((data.length - i) / 160);
      const view = new Uint32Array(data.buffer, data.byteOffset + i, blocks * 40);
      const words = this.words;
      for (let b = 0; b < view.length; b += 40) for (let w = 0; w < 40; w++) words[w] = (words[w] ?? 0) ^ (view[b + w] ?? 0);
      i += blocks * 160;
    }
    for (; i < data.length; i++) {
      this.columns[col] = (this.columns[col] ?? 0) ^ (data[i] ?? 0);
      col = col === 159 ? 0 : col + 1;
    }
    this.length += data.length;
  }

  digest(): string {
    const register = new Uint8Array(20);
    for (let col = 0; col < 160; col++) {
      const byte = this.columns[col] ?? 0;
      if (!byte) continue;
      const bit = (col * 11) % 160;
      // The byte spans up to two register bytes, wrapping from bit 159 to bit 0.
      for (let b = 0; b < 8; b++) {
        if (!((byte >> b) & 1)) continue;
        const at = (bit + b) % 160;
        register[at >> 3] = (register[at >> 3] ?? 0) ^ (1 << (at & 7));
      }
    }
    let length = BigInt(this.length);
    for (let i = 12; i < 20; i++) {
      register[i] = (register[i] ?? 0) ^ Number(length & 0xffn);
      length >>= 8n;
    }
    return Buffer.from(register).toString('base64');
  }
}

export async function quickXorOf(source: ByteSource): Promise<string> {
  const hash = new QuickXor();
  for await (const chunk of source.chunks()) hash.update(chunk);
  return hash.digest();
}
