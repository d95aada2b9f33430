/** Words the seeded mailboxes and libraries are made of: people, subjects, sentences, file names. */
import type { Address } from './mime-write.js';

export const PEOPLE: readonly Address[] = [
  { name: 'Adele Vance', address: 'adele.vance@contoso.com' },
  { name: 'Alex Wilber', address: 'alex.wilber@contoso.com' },
  { name: 'Diego Siciliani', address: 'diego.siciliani@contoso.com' },
  { name: 'Isaiah Langer', address: 'isaiah.langer@contoso.com' },
  { name: 'Lynne Robbins', address: 'lynne.robbins@contoso.com' },
  { name: 'Nestor Wilke', address: 'nestor.wilke@contoso.com' },
  { name: 'Patti Fernandez', address: 'patti.fernandez@contoso.com' },
  { name: 'Jürgen Müller', address: 'juergen.mueller@fabrikam.com' },
  { name: 'Zoë Ångström', address: 'zoe.angstrom@northwind.example' },
  { name: 'José Núñez', address: 'jose.nunez@adventure-works.example' },
  { name: 'Françoise Lefèvre', address: 'f.lefevre@tailspintoys.example' },
  { name: '山田 太郎', address: 'taro.yamada@wingtip.example' },
  { name: 'Łukasz Żółć', address: 'lukasz.zolc@litware.example' },
  { name: 'Service Desk', address: 'servicedesk@contoso.com' },
  { name: 'Microsoft 365 Message center', address: 'o365mc@microsoft.com' },
  { name: 'Payroll (no reply)', address: 'payroll-noreply@contoso.com' },
];

export const TOPICS: readonly string[] = [
  'Q3 budget review',
  'Onboarding checklist',
  'Office move to building 4',
  'Contract renewal Fabrikam',
  'Project Alpha kickoff',
  'Quarterly security training',
  'Travel expenses',
  'Customer feedback summary',
  'Release plan 2.4',
  'Holiday schedule',
  'Vendor invoice 4711',
  'Board meeting minutes',
];

export const NON_ASCII_TOPICS: readonly string[] = [
  'Änderung der Arbeitszeiten',
  'Réunion de lancement – ordre du jour',
  'Übersicht Verträge 2026',
  'Presupuesto año fiscal',
  '会議の議事録',
  'Zażółć gęślą jaźń – test',
  'Café ☕ on Friday',
  'Ελληνικά: προσφορά',
];

export const SUBJECT_PREFIXES: readonly string[] = ['', '', '', 'RE: ', 'FW: ', 'AW: ', 'Re: '];

const WORDS = (
  'the team agreed to review the numbers before friday and share the updated plan with everyone involved ' +
  'please find the details below and let me know if anything is missing from the list we discussed ' +
  'our customers asked for a clearer timeline so we will publish the milestones next week together with the budget ' +
  'the meeting room is booked for two hours and lunch will be provided for all attendees of the workshop ' +
  'as mentioned in the call the contract needs a signature from legal before we can proceed with the order'
).split(' ');

const GERMAN = 'bitte prüfen Sie die Unterlagen bis Freitag und geben Sie uns eine kurze Rückmeldung zur Änderung der Verträge'.split(' ');

export const GREETINGS: readonly string[] = ['Hi all,', 'Hello,', 'Dear colleagues,', 'Hallo zusammen,', 'Bonjour à tous,', 'Hi,'];
export const CLOSINGS: readonly string[] = ['Best regards', 'Thanks', 'Kind regards', 'Viele Grüße', 'Cordialement', 'Cheers'];

/** A sentence of 8–24 words from the seeded vocabulary, driven by `next()` in [0, 1). */
export function sentence(next: () => number): string {
  const words = next() < 0.15 ? GERMAN : WORDS;
  const n = 8 + Math.floor(next() * 17);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(words[Math.floor(next() * words.length)] ?? 'the');
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export interface AttachmentKind {
  readonly names: readonly string[];
  readonly contentType: string;
  /** The first bytes of such a file, so the attachment looks like one. */
  readonly signature: string;
}

export const ATTACHMENT_KINDS: readonly AttachmentKind[] = [
  { names: ['report.pdf', 'Rechnung Nr. 4711.pdf', 'Offer – final.pdf', 'minutes 2026-10-14.pdf'], contentType: 'application/pdf', signature: '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n' },
  { names: ['Übersicht Q3.xlsx', 'budget.xlsx', 'Kostenaufstellung (Entwurf).xlsx'], contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', signature: 'PK\x03\x04\x14\x00\x06\x00' },
  { names: ['Präsentation – Entwurf.pptx', 'kickoff.pptx'], contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', signature: 'PK\x03\x04\x14\x00\x06\x00' },
  { names: ['写真.jpg', 'IMG_2041.JPG', 'whiteboard.jpg'], contentType: 'image/jpeg', signature: '\xff\xd8\xff\xe0\x00\x10JFIF\x00' },
  { names: ['Vertragsentwurf für die Zusammenarbeit mit Fabrikam und Northwind – überarbeitete Fassung.docx', 'notes.docx'], contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', signature: 'PK\x03\x04\x14\x00\x06\x00' },
  { names: ['export.csv', 'Teilnehmer.csv'], contentType: 'text/csv', signature: 'id;name;email\r\n' },
];

export const IMAGE_SIGNATURE = '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR';
