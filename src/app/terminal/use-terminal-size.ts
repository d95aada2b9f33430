import { useEffect, useState } from 'react';
import type { Size } from '../../model/layout.js';
import { normaliseSize } from '../../model/layout.js';

interface SizedStream {
  readonly columns?: number;
  readonly rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

/** The terminal's size, following `resize` (Ink 6 has no hook for it). */
export function useTerminalSize(stdout: SizedStream): Size {
  const [size, setSize] = useState(() => normaliseSize(stdout.columns, stdout.rows));
  useEffect(() => {
    const update = () =>
      setSize((previous) => {
        const next = normaliseSize(stdout.columns, stdout.rows);
        return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
      });
    stdout.on('resize', update);
    update();
    return () => {
      stdout.off('resize', update);
    };
  }, [stdout]);
  return size;
}
