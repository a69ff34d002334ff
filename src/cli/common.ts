import { Option } from 'commander';
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

/** Writes to stdout and resolves once it is flushed, so piped output is complete before exit. */
export function print(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`, () => resolve()));
}
