import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

/** The terminal's size, following resizes; fixed values win (tests, captures). */
export function useTerminalSize(columns?: number, rows?: number): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  useEffect(() => {
    const resized = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);
  return { columns: columns ?? size.columns, rows: rows ?? size.rows };
}
