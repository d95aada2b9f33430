/**
 * Where and why a text is not JSON. V8's JSON.parse messages quote the text around the error
 * ("Unexpected token 'h', "hunter2Sup"... is not valid JSON"), which can be a password, and do not
 * always give a position; so on failure we scan the text ourselves (same grammar as JSON.parse)
 * and report only a reason, a line and a column.
 */
export interface JsonSyntaxProblem {
  readonly reason: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

class SyntaxProblem {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {}
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'].map((c) => c.charCodeAt(0)));

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** Returns the first syntax problem, or undefined when the text is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    return { reason: error.reason, offset: error.offset, ...lineAndColumn(text, error.offset) };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

// Iterative (an explicit stack), so a hostile file of a million '[' cannot overflow ours.
function scan(text: string): void {
  const n = text.length;
  let i = 0;
  const stack: Array<'array' | 'object'> = [];

  const skipWhitespace = (): void => {
    while (i < n && WHITESPACE.has(text.charCodeAt(i))) i++;
  };
  const fail = (reason: string, at = i): never => {
    throw new SyntaxProblem(i >= n && at >= n ? 'the file ends too early (truncated?)' : reason, at);
  };

  const scanString = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= n) fail('unterminated string');
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return;
      }
      if (code < 0x20) fail('control character inside a string');
      if (code === 0x5c) {
        const next = text.charCodeAt(i + 1);
        if (i + 1 >= n) fail('unterminated string');
        if (SIMPLE_ESCAPES.has(next)) {
          i += 2;
        } else if (next === 0x75) {
          for (let k = 2; k < 6; k++) {
            if (i + k >= n) fail('unterminated string');
            if (!isHex(text.charCodeAt(i + k))) fail('invalid \\u escape in a string', i);
          }
          i += 6;
        } else {
          fail('invalid escape in a string');
        }
      } else {
        i++;
      }
    }
  };

  const scanNumber = (): void => {
    const start = i;
    if (text.charCodeAt(i) === 0x2d) i++;
    if (text.charCodeAt(i) === 0x30) {
      i++;
    } else if (i < n && isDigit(text.charCodeAt(i)) && text.charCodeAt(i) !== 0x30) {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    } else {
      fail('invalid number', start);
    }
    if (text.charCodeAt(i) === 0x2e) {
      i++;
      if (!(i < n && isDigit(text.charCodeAt(i)))) fail('invalid number', start);
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!(i < n && isDigit(text.charCodeAt(i)))) fail('invalid number', start);
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
  };

  const scanLiteral = (word: string): void => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return;
    }
    // A prefix of the word at the very end is a truncation, anything else a wrong character.
    if (word.startsWith(text.slice(i))) {
      i = n;
      fail('');
    }
    fail('unexpected character');
  };

  const expectKeyAndColon = (): void => {
    skipWhitespace();
    if (i >= n) fail('');
    if (text[i] !== '"') fail('expected a property name in double quotes');
    scanString();
    skipWhitespace();
    if (i >= n) fail('');
    if (text[i] !== ':') fail("expected ':' after a property name");
    i++;
  };

  /** Scans one value; a non-empty container is only opened here and finished by the loop below. */
  const scanValue = (): void => {
    for (;;) {
      skipWhitespace();
      if (i >= n) fail('');
      const c = text[i];
      if (c === '{' || c === '[') {
        const close = c === '{' ? '}' : ']';
        i++;
        skipWhitespace();
        if (text[i] === close) {
          i++;
          return;
        }
        if (c === '{') {
          stack.push('object');
          expectKeyAndColon();
        } else {
          stack.push('array');
        }
        continue;
      }
      if (c === '"') return scanString();
      if (c === '-' || isDigit(text.charCodeAt(i))) return scanNumber();
      if (c === 't') return scanLiteral('true');
      if (c === 'f') return scanLiteral('false');
      if (c === 'n') return scanLiteral('null');
      return fail('unexpected character');
    }
  };

  scanValue();
  while (stack.length > 0) {
    skipWhitespace();
    if (i >= n) fail('');
    const top = stack[stack.length - 1];
    const c = text[i];
    if (c === ',') {
      i++;
      if (top === 'object') expectKeyAndColon();
      scanValue();
    } else if ((top === 'array' && c === ']') || (top === 'object' && c === '}')) {
      i++;
      stack.pop();
    } else {
      fail(top === 'array' ? "expected ',' or ']'" : "expected ',' or '}'");
    }
  }
  skipWhitespace();
  if (i < n) fail('unexpected text after the end of the document');
}
