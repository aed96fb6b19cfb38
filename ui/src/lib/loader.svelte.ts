/**
 * Something a screen reads from Rust, with its loading and error state.
 *
 * Only the newest request may fill it: when the person moves on (another
 * client, a new filter, Circle locks) an older answer can still arrive, and
 * it must not overwrite what is on screen now. Each `load` takes a ticket;
 * an answer whose ticket is no longer the newest is dropped.
 */
import { errorMessage } from './api';

export interface LoadOptions {
  /**
   * Keep what is shown (the value and any error) until the answer arrives,
   * instead of going back to "Loading…": for a reload after a change.
   */
  quiet?: boolean;
}

export class Loader<T> {
  /** What the newest request returned; null before it arrives (or after `clear`). */
  value: T | null = $state.raw(null);
  /** The newest request's failure as a sentence for the screen, or null. */
  error: string | null = $state(null);
  /** The failure itself, for screens that treat some refusals apart (a field, out of scope). */
  failure: unknown = $state.raw(null);
  /** A request is on its way. */
  loading = $state(false);

  #ticket = 0;

  /**
   * Runs `read`. Resolves to true when its answer was kept, false when it
   * failed or a newer request (or `cancel`/`clear`) made it stale.
   */
  async load(read: () => Promise<T>, { quiet = false }: LoadOptions = {}): Promise<boolean> {
    const ticket = ++this.#ticket;
    this.loading = true;
    if (!quiet) {
      this.value = null;
      this.error = null;
      this.failure = null;
    }
    try {
      const value = await read();
      if (ticket !== this.#ticket) return false;
      this.value = value;
      this.error = null;
      this.failure = null;
      return true;
    } catch (caught) {
      if (ticket !== this.#ticket) return false;
      this.failure = caught;
      this.error = errorMessage(caught);
      return false;
    } finally {
      if (ticket === this.#ticket) this.loading = false;
    }
  }

  /** Drops the answers of requests on their way; what is shown stays. */
  cancel(): void {
    this.#ticket++;
    this.loading = false;
  }

  /** Drops requests on their way and forgets what was shown (Circle locked, another record). */
  clear(): void {
    this.cancel();
    this.value = null;
    this.error = null;
    this.failure = null;
  }
}
