import { Option } from 'commander';
import { writeText } from '../report/write-text.js';
import { RecordingStore } from '../store/recording-store.js';

/** Options and steps more than one command shares. */

export const DEFAULT_STORE = 'recordings';

export function storeOption(): Option {
  return new Option('--store <dir>', 'folder holding the recordings').default(DEFAULT_STORE);
}

/** Opens a recording, runs the step, and closes the recording whatever the step does. */
export async function withRecording<T>(root: string, name: string, step: (store: RecordingStore) => Promise<T>): Promise<T> {
  const store = await RecordingStore.open(root, name);
  try {
    return await step(store);
  } finally {
    await store.close();
  }
}

/** Writes a line to stdout and resolves once it is flushed (see writeText): false when the reader has gone. */
export function print(text: string): Promise<boolean> {
  return writeText(process.stdout, text.endsWith('\n') ? text : `${text}\n`);
}
