import type { RecordingMeta } from '../model/recording.js';
import { StoreError } from '../model/errors.js';

/**
 * The store format's version, kept in `meta`. A change to the layout or to a value's shape bumps
 * it and adds a one-step upgrade from the version before, so that old recordings stay readable.
 *
 * 1: one event per `e!` value.
 * 2: an `e!<sid>!<lowest seq>` value may hold an array of events (those of up to 100 ms). Version 1
 *    stores need no conversion: the event reader takes both shapes. A reprise that reads only
 *    version 1 refuses a version 2 store instead of misreading its arrays. A chunk's array may be
 *    packed with msgpackr records whose definitions travel inside the value; msgpackr's decoder,
 *    which every reprise reads with, takes them as it takes plain maps, so they need no new version.
 * 3: a chunk's array may end with a table of its WebSocket messages (see message-table.ts) in
 *    place of their events. Version 2 stores have no tables and are read as they are.
 * 4: it may also hold a table of its HTTP exchanges (see exchange-table.ts), before the message
 *    table if both are there. Version 3 stores are read as they are.
 */
export const FORMAT_VERSION = 4;

export function checkFormat(meta: RecordingMeta, dir: string): void {
  if (typeof meta.version !== 'number' || meta.version < 1) {
    throw new StoreError('REPRISE_STORE_CORRUPT', `store ${dir} has no valid format version`);
  }
  if (meta.version > FORMAT_VERSION) {
    throw new StoreError(
      'REPRISE_STORE_TOO_NEW',
      `store ${dir} has format version ${meta.version}; this reprise reads up to ${FORMAT_VERSION}`,
    );
  }
}
