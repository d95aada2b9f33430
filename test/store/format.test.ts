import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../src/domain/index.js';
import { cloneJson, lazyDraft } from '../../src/store/draft.js';
import { findJsonSyntaxProblem } from '../../src/store/json-errors.js';
import { serializeDocument } from '../../src/store/serialize.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('locating JSON syntax errors without quoting the file', () => {
  it('agrees with JSON.parse on valid JSON and on damaged JSON', () => {
    const damaged = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\\', 'x', '\u0001', ' ', '-', '0', 'e'), fc.nat({ max: 3 })).map(([json, at, insert, remove]) => {
      const i = at % (json.length + 1);
      return json.slice(0, i) + insert + json.slice(i + remove);
    });
    fc.assert(
      fc.property(fc.oneof(fc.json(), damaged), (text) => {
        expect(findJsonSyntaxProblem(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the line and column of the first problem', () => {
    expect(findJsonSyntaxProblem('{\n  "a": 1,\n  "b": tru\n}')).toMatchObject({ reason: 'unexpected character', line: 3, column: 8 });
    expect(findJsonSyntaxProblem('{"a": [1, 2')).toMatchObject({ reason: 'the file ends too early (truncated?)', line: 1, column: 12 });
    expect(findJsonSyntaxProblem('{"a": "x\ny"}')).toMatchObject({ reason: 'control character inside a string', line: 1, column: 9 });
    expect(findJsonSyntaxProblem('{} {}')).toMatchObject({ reason: 'unexpected text after the end of the document', column: 4 });
  });

  it('copes with absurd nesting', () => {
    expect(findJsonSyntaxProblem('['.repeat(1_000_000))).toMatchObject({ reason: 'the file ends too early (truncated?)' });
  });
});

describe('the file format', () => {
  it('is JSON.stringify(doc, null, 2) plus a newline, section caching included', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (extra) => {
        const doc = { ...emptyDocument(), ...extra };
        const first = serializeDocument(doc).toString('utf8');
        expect(first).toBe(JSON.stringify(doc, null, 2) + '\n');
        expect(serializeDocument(doc).toString('utf8')).toBe(first);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the draft an edit works on', () => {
  it('copies a section on first use, so the base document never changes', () => {
    const base = { ...emptyDocument(), notifications: { muted: ['job-failed'] }, extra: { deep: [1, 2] } };
    const { draft, settle } = lazyDraft(base as never);
    draft.notifications.muted.push('connection-failed');
    (draft as unknown as { extra: { deep: number[] } }).extra.deep.push(3);
    draft.connections = [];
    const { untouched } = settle();
    expect(base.notifications.muted).toEqual(['job-failed']);
    expect(base.extra.deep).toEqual([1, 2]);
    expect(draft.notifications.muted).toEqual(['job-failed', 'connection-failed']);
    // Every other section (alerts, jobs, storages, … as the document grows) is untouched.
    const others = Object.keys(base).filter((k) => !['notifications', 'extra', 'connections'].includes(k) && typeof (base as Record<string, unknown>)[k] === 'object');
    expect([...untouched].sort()).toEqual(others.sort());
    expect(untouched.has('alerts') && untouched.has('jobs')).toBe(true);
    expect(draft.jobs).toBe(base.jobs); // untouched: shared, not copied
  });

  it('cloneJson keeps a "__proto__" key as data', () => {
    const parsed = JSON.parse('{"a": {"__proto__": {"polluted": true}}}') as { a: Record<string, unknown> };
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy.a)).toBe(Object.prototype);
    expect(Object.keys(copy.a)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
