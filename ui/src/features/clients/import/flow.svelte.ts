/**
 * One import, from choosing the file to the report: the file Rust holds
 * (named by a token; the path never reaches the page), the person's
 * choices (what each column fills, how the file writes dates, which likely
 * duplicates to import all the same) and Rust's newest report on them.
 *
 * Every change of a choice asks Rust for the preview again; only the
 * newest answer is shown (an older one still on its way is dropped).
 * Refusals are kept beside what they are about: the file (`chooseError`),
 * the column mapping (`columnsError`), the date question
 * (`dateOrderError`), the import button (`importError`), the save button
 * (`saveError`); anything else of a re-preview goes above (`previewError`).
 */
import { ApiError, commands, errorMessage, unwrap } from '../../../lib/api';
import { FIELD_WORDS } from './words';
import type {
  DateOrder,
  ImportChoices,
  ImportField,
  ImportReport,
  LeftOut,
} from '../../../lib/api';

export type Stage = 'choose' | 'preview' | 'importing' | 'done';

/**
 * What the mapping still lacks, said beside it: Rust checks no row until
 * a column holds each name a client needs.
 */
export function missingMessage(report: ImportReport): string | null {
  const needed = report.missing[0];
  return needed ? `Choose the column that holds the ${FIELD_WORDS[needed]}.` : null;
}

export class ImportFlow {
  stage = $state<Stage>('choose');
  fileName = $state('');
  /** Rust's newest preview (null before a file is read). */
  report: ImportReport | null = $state.raw(null);
  /** What each column of the file fills, as the selects show it. */
  columns = $state<(ImportField | null)[]>([]);
  /** The answer to "how does this file write dates", once given. */
  dateOrder = $state<DateOrder | null>(null);
  /** Lines of likely duplicates the person chose to import all the same. */
  importAnyway = $state<number[]>([]);
  /**
   * Why each column was left out when the file was read, by column. A
   * notes column stays out whatever else changes: notes are never imported.
   */
  guessedLeftOut: (LeftOut | null)[] = $state.raw([]);
  /** What the import did (stage 'done'). */
  imported: ImportReport | null = $state.raw(null);

  choosing = $state(false);
  previewing = $state(false);
  saving = $state(false);
  /** The name of the file the rows not imported were saved as. */
  saved = $state<string | null>(null);

  chooseError = $state<string | null>(null);
  columnsError = $state<string | null>(null);
  dateOrderError = $state<string | null>(null);
  previewError = $state<string | null>(null);
  importError = $state<string | null>(null);
  saveError = $state<string | null>(null);

  #token: number | null = null;
  /** Only the newest preview may fill `report`. */
  #ticket = 0;

  /** The date question is open and unanswered: nothing can be imported yet. */
  get dateUnanswered(): boolean {
    return this.report?.datesFound === 'ask' && this.dateOrder === null;
  }

  /** Why "Import" cannot be pressed now, or null when it can. */
  get blocked(): string | null {
    const report = this.report;
    if (report === null) return 'Choose a file first.';
    if (this.columnsError) return 'Choose what the columns hold first (see above).';
    if (this.dateUnanswered) return 'Answer how this file writes dates first (see above).';
    if (report.rows === 0) return 'The file has no rows of clients to import.';
    if (report.ready === 0) return 'No row is ready to import. Correct the file and choose it again.';
    return null;
  }

  /** What is sent with every preview and the import. */
  choices(): ImportChoices {
    return {
      columns: [...this.columns],
      dateOrder: this.dateOrder,
      importAnyway: [...this.importAnyway],
    };
  }

  /**
   * Asks for the file in the computer's own open dialog; Rust reads it and
   * previews it with the columns guessed. Resolves to true when a file was
   * read (the dialog can also be closed: nothing changes then).
   */
  async choose(): Promise<boolean> {
    if (this.choosing) return false;
    this.choosing = true;
    this.chooseError = null;
    try {
      const chosen = unwrap(await commands.importChooseFile());
      if (chosen === null) return false;
      this.#ticket++;
      this.#token = chosen.token;
      this.fileName = chosen.fileName;
      this.report = chosen.report;
      this.columns = chosen.report.columns.map((column) => column.field);
      this.guessedLeftOut = chosen.report.columns.map((column) => column.leftOut);
      this.dateOrder = null;
      this.importAnyway = [];
      this.#clearMessages();
      this.columnsError = missingMessage(chosen.report);
      this.stage = 'preview';
      return true;
    } catch (error) {
      // The file shown before (if any) is no longer the one chosen.
      this.#ticket++;
      this.#token = null;
      this.report = null;
      this.stage = 'choose';
      this.chooseError = errorMessage(error);
      return false;
    } finally {
      this.choosing = false;
      this.previewing = false;
    }
  }

  /** Column `index` fills `field` (null: not imported). */
  setColumn(index: number, field: ImportField | null): Promise<void> {
    if (this.guessedLeftOut[index] === 'notes') return Promise.resolve();
    this.columns[index] = field;
    this.columnsError = null;
    return this.preview();
  }

  setDateOrder(order: DateOrder): Promise<void> {
    this.dateOrder = order;
    this.dateOrderError = null;
    return this.preview();
  }

  setImportAnyway(line: number, importing: boolean): Promise<void> {
    const others = this.importAnyway.filter((l) => l !== line);
    this.importAnyway = importing ? [...others, line].sort((a, b) => a - b) : others;
    return this.preview();
  }

  /** The preview again with the choices as they are now. */
  async preview(): Promise<void> {
    const token = this.#token;
    if (token === null) return;
    const ticket = ++this.#ticket;
    this.previewing = true;
    this.previewError = null;
    this.importError = null;
    this.saved = null;
    this.saveError = null;
    const sent = this.choices();
    try {
      const report = unwrap(await commands.importPreview(token, sent));
      if (ticket !== this.#ticket) return;
      if (sent.dateOrder && report.datesFound !== 'ask') {
        // The columns changed and the file's dates now say their order
        // themselves: an earlier answer must not overrule them.
        this.dateOrder = null;
        void this.preview();
        return;
      }
      this.report = report;
      this.columnsError = missingMessage(report);
      this.dateOrderError = null;
      const flagged = new Set(report.duplicates.map((row) => row.line));
      this.importAnyway = this.importAnyway.filter((line) => flagged.has(line));
    } catch (error) {
      if (ticket !== this.#ticket) return;
      const field = error instanceof ApiError ? error.field : null;
      const message = errorMessage(error);
      if (field === 'columns') this.columnsError = message;
      else if (field === 'dateOrder') this.dateOrderError = message;
      else this.previewError = message;
    } finally {
      if (ticket === this.#ticket) this.previewing = false;
    }
  }

  /**
   * Imports the rows that are ready, all in one go. Resolves to true when
   * clients were written; on a refusal the preview stays, with the reason
   * beside the button.
   */
  async import(): Promise<boolean> {
    const token = this.#token;
    if (token === null || this.stage !== 'preview' || this.previewing || this.blocked) {
      return false;
    }
    this.stage = 'importing';
    this.importError = null;
    this.saved = null;
    this.saveError = null;
    try {
      const report = unwrap(await commands.importClients(token, this.choices()));
      this.#ticket++;
      this.imported = report;
      this.report = report;
      this.stage = 'done';
      return true;
    } catch (error) {
      this.stage = 'preview';
      this.importError = errorMessage(error);
      return false;
    }
  }

  /** Saves the rows not imported, with their line and reason, where the person chooses. */
  async saveRejected(): Promise<void> {
    const token = this.#token;
    if (token === null || this.saving) return;
    this.saving = true;
    this.saved = null;
    this.saveError = null;
    try {
      this.saved = unwrap(await commands.importSaveRejected(token, this.choices()));
    } catch (error) {
      this.saveError = errorMessage(error);
    } finally {
      this.saving = false;
    }
  }

  #clearMessages(): void {
    this.columnsError = null;
    this.dateOrderError = null;
    this.previewError = null;
    this.importError = null;
    this.saveError = null;
    this.saved = null;
    this.imported = null;
  }
}
