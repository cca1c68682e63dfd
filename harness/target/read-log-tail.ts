import { readFile } from 'node:fs/promises';

/** Returns the last `lineCount` lines of a log file, or an empty list when it does not exist. */
export async function readLogTail(file: string, lineCount: number): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const trimmed = text.trimEnd();
  return trimmed === '' ? [] : trimmed.split('\n').slice(-lineCount);
}
