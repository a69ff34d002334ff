import type { Event } from '../model/event.js';
import type { Session } from '../model/session.js';
import type { RecordingStore } from '../store/recording-store.js';

/**
 * Small sessions read once and shared by their copies. A profile or --multiply replays the same
 * sessions over and over, and opening a store iterator per copy costs more than replaying a
 * short session. Long sessions always stream from the store, so memory stays bounded by the
 * budget, not by the recording. Cached events are never changed: whatever a user rewrites, it
 * rewrites in copies (see forwardableHeaders and the carrier's writes).
 */
export class EventCache {
  private readonly cache = new Map<string, { events: Promise<readonly Event[]>; count: number }>();
  private cachedEvents = 0;

  constructor(
    private readonly store: RecordingStore,
    private readonly options = { maxSessionEvents: 200, budgetEvents: 50_000 },
  ) {}

  /** The session's events: a stream from the store, or (small sessions) a shared list. */
  events(session: Session): AsyncIterable<Event> | Promise<readonly Event[]> {
    if (session.eventCount > this.options.maxSessionEvents) return this.store.events(session.id);
    const hit = this.cache.get(session.id);
    if (hit) return hit.events;
    const events = this.load(session);
    this.cache.set(session.id, { events, count: session.eventCount });
    this.cachedEvents += session.eventCount;
    this.evict();
    return events;
  }

  private async load(session: Session): Promise<readonly Event[]> {
    const events: Event[] = [];
    try {
      for await (const e of this.store.events(session.id)) events.push(e);
    } catch (error) {
      this.drop(session.id);
      throw error;
    }
    return events;
  }

  /** Oldest first: Map keeps insertion order. */
  private evict(): void {
    for (const [id] of this.cache) {
      if (this.cachedEvents <= this.options.budgetEvents || this.cache.size <= 1) break;
      this.drop(id);
    }
  }

  private drop(id: string): void {
    const entry = this.cache.get(id);
    if (!entry) return;
    this.cache.delete(id);
    this.cachedEvents -= entry.count;
  }
}
