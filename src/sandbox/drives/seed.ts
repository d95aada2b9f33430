/**
 * The seeded document libraries: per site a "Documents" library (the Human Resources site also has
 * "Policies"), a folder tree with non-ASCII names, and files of varied sizes (an empty one, a few
 * large ones) whose bytes are functions of (seed, library, file) made when read.
 */
import { bufferSource, generatedSource, type ByteSource } from '../data/bytes.js';
import { derive, Rng } from '../data/random.js';
import { sentence } from '../mail/vocabulary.js';

export interface LibrarySeed {
  readonly seed: string;
  readonly files: number;
  readonly largeFiles: number;
  readonly largeFileBytes: number;
}

export interface SeedLibrary {
  /** Graph's drive name. */
  readonly name: string;
  /** The list's URL segment, e.g. "Shared Documents". */
  readonly urlName: string;
  readonly description: string;
}

export function librariesOf(sitePath: string): SeedLibrary[] {
  const documents = { name: 'Documents', urlName: 'Shared Documents', description: '' };
  return sitePath === '/sites/hr' ? [documents, { name: 'Policies', urlName: 'Policies', description: 'Signed policies and forms' }] : [documents];
}

const FOLDERS = [
  'General',
  'Projects',
  'Projects/Alpha',
  'Projects/Alpha/Design',
  'Projects/Beta',
  'Reports',
  'Reports/2025',
  'Reports/2026',
  'Reports/2026/Q1',
  'Verträge & Angebote',
  'Archiv',
  'Archiv/Ältere Dateien',
];

interface FileKind {
  readonly ext: string;
  readonly mimeType: string;
  readonly names: readonly string[];
  /** First bytes of such a file; text kinds are generated as text instead. */
  readonly signature?: string;
  readonly sizes: readonly [number, number];
}

const KINDS: readonly FileKind[] = [
  { ext: 'docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', names: ['Meeting notes', 'Angebot Müller GmbH', 'Projektplan', 'Onboarding guide', 'Protokoll Sitzung'], signature: 'PK\x03\x04\x14\x00\x06\x00', sizes: [12_000, 180_000] },
  { ext: 'xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', names: ['Budget 2026', 'Übersicht Kosten', 'Headcount', 'Forecast Q1'], signature: 'PK\x03\x04\x14\x00\x06\x00', sizes: [8_000, 120_000] },
  { ext: 'pdf', mimeType: 'application/pdf', names: ['Vertrag unterschrieben', 'Invoice 4711', 'Handbook', 'Résumé – Jane Doe'], signature: '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', sizes: [20_000, 400_000] },
  { ext: 'pptx', mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', names: ['Kickoff', 'Präsentation Vorstand', 'Roadmap'], signature: 'PK\x03\x04\x14\x00\x06\x00', sizes: [60_000, 600_000] },
  { ext: 'png', mimeType: 'image/png', names: ['Logo', 'Screenshot', 'Diagramm'], signature: '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', sizes: [5_000, 90_000] },
  { ext: 'jpg', mimeType: 'image/jpeg', names: ['写真 2026', 'Team photo', 'Whiteboard'], signature: '\xff\xd8\xff\xe0\x00\x10JFIF\x00', sizes: [40_000, 300_000] },
  { ext: 'txt', mimeType: 'text/plain', names: ['readme', 'Notizen', 'todo'], sizes: [200, 8_000] },
  { ext: 'csv', mimeType: 'text/csv', names: ['export', 'Teilnehmer', 'contacts'], sizes: [1_000, 40_000] },
  { ext: 'md', mimeType: 'text/markdown', names: ['CHANGELOG', 'Anleitung'], sizes: [500, 6_000] },
];

export interface SeedFile {
  /** Path in the library, e.g. "Reports/2026/Budget 2026.xlsx". */
  readonly path: string;
  readonly mimeType: string;
  readonly size: number;
  readonly key: Buffer;
  readonly text: boolean;
  readonly signature: string;
  readonly created: Date;
  readonly modified: Date;
}

const BASE_TIME = Date.UTC(2026, 9, 1, 9, 0, 0);
const DAY = 86_400_000;

/** Deterministic text of exactly `size` bytes (sentences, or CSV rows). */
export function textOf(key: Buffer, size: number, csv: boolean): Buffer {
  const rng = new Rng(key);
  const parts: string[] = [];
  let length = 0;
  for (let row = 1; length < size; row++) {
    const line = csv ? `${row};${sentence(() => rng.next()).slice(0, 40)};user${row}@contoso.com\r\n` : `${sentence(() => rng.next())}\n`;
    parts.push(line);
    length += Buffer.byteLength(line);
  }
  return Buffer.from(parts.join(''), 'utf8').subarray(0, size);
}

export function contentOf(file: Pick<SeedFile, 'key' | 'size' | 'text' | 'signature' | 'mimeType'>): ByteSource {
  if (file.text) return bufferSource(textOf(file.key, file.size, file.mimeType === 'text/csv'));
  return generatedSource(file.key, file.size, Buffer.from(file.signature, 'latin1'));
}

/** Folders (parents first) and files of one library. */
export function libraryTree(seed: LibrarySeed, libraryKey: string): { folders: string[]; files: SeedFile[] } {
  const rng = Rng.of(seed.seed, 'library', libraryKey);
  const files: SeedFile[] = [];
  const taken = new Set<string>();
  const place = (folder: string, base: string, ext: string): string => {
    let name = `${base}.${ext}`;
    for (let n = 2; taken.has(`${folder}/${name}`.toLowerCase()); n++) name = `${base} (${n}).${ext}`;
    taken.add(`${folder}/${name}`.toLowerCase());
    return folder ? `${folder}/${name}` : name;
  };
  for (let i = 0; i < seed.files; i++) {
    const large = i < seed.largeFiles;
    const empty = !large && i === seed.largeFiles && seed.files >= 10;
    const kind = large ? (KINDS[3] ?? rng.pick(KINDS)) : empty ? (KINDS[6] ?? rng.pick(KINDS)) : rng.pick(KINDS);
    const folder = large ? 'Projects/Alpha/Design' : rng.chance(0.2) ? '' : rng.pick(FOLDERS);
    const size = large ? Math.round(seed.largeFileBytes * (0.9 + rng.next() * 0.2)) : empty ? 0 : rng.int(kind.sizes[0], kind.sizes[1]);
    const created = new Date(BASE_TIME - rng.int(30, 700) * DAY - rng.int(0, 86_399) * 1000);
    const modified = new Date(Math.min(BASE_TIME, created.getTime() + rng.int(0, 200) * DAY));
    files.push({
      path: place(folder, large ? `Rendering final ${i + 1}` : empty ? 'leer' : rng.pick(kind.names), kind.ext),
      mimeType: kind.mimeType,
      size,
      key: derive(seed.seed, 'file', libraryKey, i),
      text: kind.signature === undefined,
      signature: kind.signature ?? '',
      created,
      modified,
    });
  }
  return { folders: [...FOLDERS], files };
}
