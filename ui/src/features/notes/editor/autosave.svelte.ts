/**
 * When an editor's draft is saved. The editor keeps the whole draft in its
 * own state and calls `edit()` on every change; this decides when to call
 * the injected `save` (which reads the draft as it is at that moment):
 *
 * - 1 s after the last change (`debounceMs`), and at the latest 2 s after the
 *   first change not yet sent (`maxWaitMs`), even while typing goes on;
 * - straight away on `blur()` (a field lost focus) when something is unsaved;
 * - on `flush()` (before locking, signing or leaving), which also waits for a
 *   save under way and tries once more after a failure.
 *
 * One save runs at a time: a change made while one runs is saved after it.
 * A failed save leaves everything unsaved and waits for the next change,
 * blur, flush or `retry()`; it never throws out of here. A failure that
 * `retryable` accepts (a full disk, a vault busy for a moment: something
 * that can clear without the text changing) is also tried again on its
 * own, `retryMs` later, then twice as long each time up to `maxRetryMs`,
 * so text typed before the disk filled is saved once there is room even
 * if nobody touches the editor again.
 */

export type AutosaveState =
  /** Nothing changed since the draft was opened. */
  | 'clean'
  /** Changes wait for their save. */
  | 'dirty'
  | 'saving'
  /** Everything is saved (at `savedAt`). */
  | 'saved'
  /** The last save failed (`error`); the changes are still unsaved. */
  | 'failed';

export interface AutosaveOptions {
  debounceMs?: number;
  maxWaitMs?: number;
  /** Whether a failed save is tried again on its own (none is by default). */
  retryable?: (error: unknown) => boolean;
  retryMs?: number;
  maxRetryMs?: number;
}

export const DEBOUNCE_MS = 1000;
export const MAX_WAIT_MS = 2000;
export const RETRY_MS = 5000;
export const MAX_RETRY_MS = 60_000;

export class Autosave {
  state: AutosaveState = $state('clean');
  /** When the last successful save happened, as `save` reported it. */
  savedAt: string | null = $state(null);
  /** Why the last save failed (cleared by the next success). */
  error: unknown = $state(null);

  readonly #save: () => Promise<string>;
  readonly #debounceMs: number;
  readonly #maxWaitMs: number;
  readonly #retryable: (error: unknown) => boolean;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  /** How long until the next retry after a failure (grows while they fail). */
  #retryDelay: number;
  /** Changes made since the last save began. */
  #dirty = false;
  /** The save under way, with any saves queued behind it. */
  #pump: Promise<void> | null = null;
  /** A save was asked for while one ran. */
  #again = false;
  #debounce: ReturnType<typeof setTimeout> | null = null;
  #maxWait: ReturnType<typeof setTimeout> | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #disposed = false;

  /** `save` sends the draft as it is now and resolves to when it was saved. */
  constructor(save: () => Promise<string>, options: AutosaveOptions = {}) {
    this.#save = save;
    this.#debounceMs = options.debounceMs ?? DEBOUNCE_MS;
    this.#maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
    this.#retryable = options.retryable ?? (() => false);
    this.#retryMs = options.retryMs ?? RETRY_MS;
    this.#maxRetryMs = options.maxRetryMs ?? MAX_RETRY_MS;
    this.#retryDelay = this.#retryMs;
  }

  /** Whether something typed has not reached Rust yet. */
  get unsaved(): boolean {
    return this.#dirty || this.#pump !== null;
  }

  /** The draft changed. */
  edit(): void {
    if (this.#disposed) return;
    this.#dirty = true;
    // "Saving…" and a failure stay on screen until their save is over.
    if (this.state === 'clean' || this.state === 'saved') this.state = 'dirty';
    if (this.#debounce !== null) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.#run(), this.#debounceMs);
    this.#maxWait ??= setTimeout(() => void this.#run(), this.#maxWaitMs);
  }

  /** A field lost focus: save now if anything is unsaved. */
  blur(): void {
    if (this.#dirty && this.#pump === null) void this.#run();
  }

  /**
   * Saves now whatever is unsaved, after waiting for a save under way.
   * Resolves to whether everything typed so far is saved.
   */
  async flush(): Promise<boolean> {
    if (this.#disposed) return !this.#dirty;
    this.#clearTimers();
    if (this.#pump) await this.#pump;
    if (this.#dirty) await this.#run();
    return !this.#dirty && this.state !== 'failed';
  }

  /** The "Try again" button. */
  retry(): Promise<boolean> {
    return this.flush();
  }

  /** Back to a freshly opened draft (another note, or a signed one). */
  reset(): void {
    this.#clearTimers();
    this.#dirty = false;
    this.#retryDelay = this.#retryMs;
    this.state = 'clean';
    this.savedAt = null;
    this.error = null;
  }

  /** Stops for good: no timer fires and no result lands after this. */
  dispose(): void {
    this.#disposed = true;
    this.#clearTimers();
  }

  #clearTimers(): void {
    if (this.#debounce !== null) clearTimeout(this.#debounce);
    if (this.#maxWait !== null) clearTimeout(this.#maxWait);
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#debounce = null;
    this.#maxWait = null;
    this.#retry = null;
  }

  #run(): Promise<void> {
    this.#clearTimers();
    if (this.#pump) {
      this.#again = true;
      return this.#pump;
    }
    if (!this.#dirty || this.#disposed) return Promise.resolve();
    const pump = this.#loop().finally(() => {
      if (this.#pump === pump) this.#pump = null;
    });
    this.#pump = pump;
    return pump;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      this.#dirty = false;
      this.state = 'saving';
      try {
        const at = await this.#save();
        if (this.#disposed) return;
        this.savedAt = at;
        this.error = null;
        this.#retryDelay = this.#retryMs;
        this.state = this.#dirty ? 'dirty' : 'saved';
      } catch (error) {
        if (this.#disposed) return;
        this.#dirty = true;
        this.error = error;
        this.state = 'failed';
        if (this.#retryable(error)) {
          const delay = this.#retryDelay;
          this.#retryDelay = Math.min(delay * 2, this.#maxRetryMs);
          this.#retry = setTimeout(() => void this.#run(), delay);
        }
        return;
      }
    } while (this.#again && this.#dirty && !this.#disposed);
  }
}
