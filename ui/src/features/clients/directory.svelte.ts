/**
 * The client list's state: what was typed, the status filter, and the pages
 * Rust has sent so far. It outlives the list while a profile is open, so
 * going back shows the same search, rows and place. Rust does the matching
 * (diacritics folded: "zoe" finds Zoë) and the paging; only PAGE_SIZE rows
 * are asked for at a time, so thousands of clients stay quick.
 */
import { ApiError, commands, errorMessage, unwrap } from '../../lib/api';
import type { ClientStatus, ClientSummary } from '../../lib/api';

/** Rows asked for per page (and per "Show more"). */
export const PAGE_SIZE = 50;
/** How long typing pauses before the search is sent. */
export const SEARCH_DELAY_MS = 200;
/** The most rows Rust sends in one call. */
const MAX_PAGE = 200;

export class ClientDirectory {
  /** The search box, as typed. */
  query = $state('');
  /** The status filter; '' for every status. */
  status = $state<ClientStatus | ''>('');

  /** The rows shown, or null before the first answer. */
  items: ClientSummary[] | null = $state.raw(null);
  /** How many clients match in all. */
  total = $state(0);
  /** The query and filter that `items` answer (what the empty states talk about). */
  shownQuery = $state('');
  shownStatus = $state<ClientStatus | ''>('');

  searching = $state(false);
  loadingMore = $state(false);
  /** Why the list could not be shown. */
  error = $state<string | null>(null);
  /** A refusal about the search words themselves (shown beside the box). */
  queryError = $state<string | null>(null);

  /** A client was added or changed elsewhere: reload before showing the list again. */
  stale = false;

  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Only the newest request may fill the list. */
  #request = 0;

  get hasMore(): boolean {
    return this.items !== null && this.items.length < this.total;
  }

  /** The search box changed: search once typing pauses. */
  typed(): void {
    this.#cancelTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.search();
    }, SEARCH_DELAY_MS);
  }

  /** Search now (the filter changed, Enter was pressed, or the screen opened). */
  async search(): Promise<void> {
    this.#cancelTimer();
    const request = ++this.#request;
    const query = this.query.trim();
    const status = this.status;
    this.searching = true;
    this.loadingMore = false;
    try {
      const page = unwrap(await commands.clientSearch(query, status || null, 0, PAGE_SIZE));
      if (request !== this.#request) return;
      this.items = page.items;
      this.total = page.total;
      this.shownQuery = query;
      this.shownStatus = status;
      this.error = null;
      this.queryError = null;
      this.stale = false;
    } catch (error) {
      if (request !== this.#request) return;
      if (error instanceof ApiError && error.field === 'query') {
        this.queryError = error.message;
        this.error = null;
      } else {
        this.error = errorMessage(error);
      }
    } finally {
      if (request === this.#request) this.searching = false;
    }
  }

  /**
   * The next page. Resolves to the index of its first row (to move focus
   * there), or null when nothing was added.
   */
  async more(): Promise<number | null> {
    const shown = this.items;
    if (shown === null || this.loadingMore || this.searching) return null;
    const request = ++this.#request;
    this.loadingMore = true;
    try {
      const page = unwrap(
        await commands.clientSearch(
          this.shownQuery,
          this.shownStatus || null,
          shown.length,
          PAGE_SIZE,
        ),
      );
      if (request !== this.#request) return null;
      // A client added meanwhile can shift a row onto the next page; show it once.
      const seen = new Set(shown.map((c) => c.id));
      const added = page.items.filter((c) => !seen.has(c.id));
      this.items = [...shown, ...added];
      this.total = page.total;
      this.error = null;
      return added.length > 0 ? shown.length : null;
    } catch (error) {
      if (request !== this.#request) return null;
      this.error = errorMessage(error);
      return null;
    } finally {
      if (request === this.#request) this.loadingMore = false;
    }
  }

  /**
   * Reloads what is shown (after a client was added or edited), keeping as
   * many rows as were loaded so the place in the list is kept.
   */
  async refresh(): Promise<void> {
    const shown = this.items;
    if (shown === null || shown.length <= PAGE_SIZE) return this.search();
    this.#cancelTimer();
    const request = ++this.#request;
    const want = shown.length;
    const query = this.shownQuery;
    const status = this.shownStatus;
    this.searching = true;
    try {
      const rows: ClientSummary[] = [];
      let total = 0;
      do {
        const page = unwrap(
          await commands.clientSearch(
            query,
            status || null,
            rows.length,
            Math.min(MAX_PAGE, want - rows.length),
          ),
        );
        if (request !== this.#request) return;
        total = page.total;
        rows.push(...page.items);
        if (page.items.length === 0) break;
      } while (rows.length < want && rows.length < total);
      this.items = rows;
      this.total = total;
      this.error = null;
      this.stale = false;
    } catch (error) {
      if (request === this.#request) this.error = errorMessage(error);
    } finally {
      if (request === this.#request) this.searching = false;
    }
  }

  /** Circle locked: forget every name and what was typed. */
  clear(): void {
    this.#cancelTimer();
    this.#request++;
    this.query = '';
    this.status = '';
    this.items = null;
    this.total = 0;
    this.shownQuery = '';
    this.shownStatus = '';
    this.searching = false;
    this.loadingMore = false;
    this.error = null;
    this.queryError = null;
    this.stale = false;
  }

  /** The screen closed: no search may fire later. */
  dispose(): void {
    this.#cancelTimer();
    this.#request++;
  }

  #cancelTimer(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}
