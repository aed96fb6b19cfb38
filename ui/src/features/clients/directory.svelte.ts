/**
 * The client list's state: what was typed, the status filter, and the pages
 * Rust has sent so far. It outlives the list while a profile is open, so
 * going back shows the same search, rows and place. Rust does the matching
 * (diacritics folded: "zoe" finds Zoë) and the paging; only PAGE_SIZE rows
 * are asked for at a time, so thousands of clients stay quick.
 */
import { ApiError, commands, unwrap } from '../../lib/api';
import type { ClientStatus, ClientSummary } from '../../lib/api';
import { Loader } from '../../lib/loader.svelte';

/** Rows asked for per page (and per "Show more"). */
export const PAGE_SIZE = 50;
/** How long typing pauses before the search is sent. */
export const SEARCH_DELAY_MS = 200;
/** The most rows Rust sends in one call. */
const MAX_PAGE = 200;

/** What the list shows, and the search and filter it answers. */
interface Shown {
  items: ClientSummary[];
  total: number;
  query: string;
  status: ClientStatus | '';
}

export class ClientDirectory {
  /** The search box, as typed. */
  query = $state('');
  /** The status filter; '' for every status. */
  status = $state<ClientStatus | ''>('');

  /** A client was added or changed elsewhere: reload before showing the list again. */
  stale = false;

  /** Only the newest request (a search, the next page, a refresh) may fill the list. */
  #list = new Loader<Shown>();
  /** The request on its way is "Show more". */
  #more = $state(false);
  /** The person typed again since the search words were refused. */
  #dismissed = $state(false);
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** The rows shown, or null before the first answer. */
  get items(): ClientSummary[] | null {
    return this.#list.value?.items ?? null;
  }

  /** How many clients match in all. */
  get total(): number {
    return this.#list.value?.total ?? 0;
  }

  /** The query and filter that `items` answer (what the empty states talk about). */
  get shownQuery(): string {
    return this.#list.value?.query ?? '';
  }

  get shownStatus(): ClientStatus | '' {
    return this.#list.value?.status ?? '';
  }

  get searching(): boolean {
    return this.#list.loading && !this.#more;
  }

  get loadingMore(): boolean {
    return this.#list.loading && this.#more;
  }

  /** Why the list could not be shown. */
  get error(): string | null {
    return this.#queryRefused ? null : this.#list.error;
  }

  /** A refusal about the search words themselves (shown beside the box). */
  get queryError(): string | null {
    return this.#queryRefused && !this.#dismissed ? this.#list.error : null;
  }

  /** Typing again clears it (set to null). */
  set queryError(value: null) {
    this.#dismissed = value === null;
  }

  get hasMore(): boolean {
    return this.items !== null && this.items.length < this.total;
  }

  get #queryRefused(): boolean {
    const failure = this.#list.failure;
    return failure instanceof ApiError && failure.field === 'query';
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
    const query = this.query.trim();
    const status = this.status;
    const kept = await this.#run(false, async () => {
      const page = unwrap(await commands.clientSearch(query, status || null, 0, PAGE_SIZE));
      return { items: page.items, total: page.total, query, status };
    });
    if (kept) this.stale = false;
  }

  /**
   * The next page. Resolves to the index of its first row (to move focus
   * there), or null when nothing was added.
   */
  async more(): Promise<number | null> {
    const shown = this.#list.value;
    if (shown === null || this.#list.loading) return null;
    let added = 0;
    const kept = await this.#run(true, async () => {
      const page = unwrap(
        await commands.clientSearch(shown.query, shown.status || null, shown.items.length, PAGE_SIZE),
      );
      // A client added meanwhile can shift a row onto the next page; show it once.
      const seen = new Set(shown.items.map((c) => c.id));
      const fresh = page.items.filter((c) => !seen.has(c.id));
      added = fresh.length;
      return { ...shown, items: [...shown.items, ...fresh], total: page.total };
    });
    return kept && added > 0 ? shown.items.length : null;
  }

  /**
   * Reloads what is shown (after a client was added or edited), keeping as
   * many rows as were loaded so the place in the list is kept.
   */
  async refresh(): Promise<void> {
    const shown = this.#list.value;
    if (shown === null || shown.items.length <= PAGE_SIZE) return this.search();
    this.#cancelTimer();
    const want = shown.items.length;
    const kept = await this.#run(false, async () => {
      const rows: ClientSummary[] = [];
      let total = 0;
      do {
        const page = unwrap(
          await commands.clientSearch(
            shown.query,
            shown.status || null,
            rows.length,
            Math.min(MAX_PAGE, want - rows.length),
          ),
        );
        total = page.total;
        rows.push(...page.items);
        if (page.items.length === 0) break;
      } while (rows.length < want && rows.length < total);
      return { ...shown, items: rows, total };
    });
    if (kept) this.stale = false;
  }

  /** Circle locked: forget every name and what was typed. */
  clear(): void {
    this.#cancelTimer();
    this.#list.clear();
    this.query = '';
    this.status = '';
    this.#more = false;
    this.#dismissed = false;
    this.stale = false;
  }

  /** The screen closed: no search may fire later. */
  dispose(): void {
    this.#cancelTimer();
    this.#list.cancel();
  }

  /** Quiet: the rows stay on screen until the answer. */
  #run(more: boolean, read: () => Promise<Shown>): Promise<boolean> {
    this.#more = more;
    this.#dismissed = false;
    return this.#list.load(read, { quiet: true });
  }

  #cancelTimer(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}
