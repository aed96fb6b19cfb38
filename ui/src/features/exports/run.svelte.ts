/**
 * One export as a screen follows it: the stage Rust reports on the progress
 * channel, Cancel, what was saved, and Open / Show in folder for exactly
 * that file (Rust keeps its path; the page only knows its export id).
 *
 * `start` throws the command's refusal (an `ApiError`) so the form around
 * it can show it beside the field it names.
 */
import {
  commands,
  errorMessage,
  unwrap,
  type CommandError,
  type ExportDone,
  type ExportProgress,
  type Result,
} from '../../lib/api';
import { progressChannel, type Channel } from '../../lib/api/channel';

/** Calls one export command with the channel it reports on. */
export type ExportCall = (
  progress: Channel<ExportProgress>,
) => Promise<Result<ExportDone | null, CommandError>>;

export type ExportPhase = 'idle' | 'running' | 'done';

export class ExportRun {
  phase: ExportPhase = $state('idle');
  /** The latest stage Rust reported while running. */
  stage: ExportProgress | null = $state(null);
  /** Cancel was pressed; Rust stops before writing anything. */
  stopping = $state(false);
  /** The saved file, once done. */
  done: ExportDone | null = $state.raw(null);
  /** Said after an export that wrote nothing (the save dialog closed, or Cancel). */
  notSaved: string | null = $state(null);
  /** Open or Show in folder did not work. */
  actionError: string | null = $state(null);

  /** Resolves to the saved file, or null when nothing was written. */
  async start(call: ExportCall): Promise<ExportDone | null> {
    if (this.phase === 'running') return null;
    this.phase = 'running';
    this.stage = 'gathering';
    this.stopping = false;
    this.done = null;
    this.notSaved = null;
    this.actionError = null;
    try {
      const channel = progressChannel<ExportProgress>((stage) => {
        if (this.phase === 'running') this.stage = stage;
      });
      const done = unwrap(await call(channel));
      if (done) {
        this.done = done;
        this.phase = 'done';
      } else {
        this.notSaved = this.stopping
          ? 'Stopped. Nothing was saved.'
          : 'No file was chosen, so nothing was saved.';
        this.phase = 'idle';
      }
      return done;
    } catch (error) {
      this.phase = 'idle';
      throw error;
    } finally {
      this.stage = null;
      this.stopping = false;
    }
  }

  /** Whether Cancel can still stop it (not once it is writing). */
  get cancellable(): boolean {
    return this.phase === 'running' && this.stage !== 'writing' && this.stage !== 'done';
  }

  async cancel(): Promise<void> {
    if (!this.cancellable || this.stopping) return;
    this.stopping = true;
    try {
      unwrap(await commands.exportCancel());
    } catch (error) {
      this.stopping = false;
      this.actionError = errorMessage(error);
    }
  }

  /** Opens the saved file in the computer's PDF viewer. */
  async open(): Promise<void> {
    await this.#act((id) => commands.exportOpen(id));
  }

  /** Shows the saved file in the file manager. */
  async showInFolder(): Promise<void> {
    await this.#act((id) => commands.exportShowInFolder(id));
  }

  async #act(action: (id: number) => Promise<Result<null, CommandError>>): Promise<void> {
    if (!this.done) return;
    this.actionError = null;
    try {
      unwrap(await action(this.done.exportId));
    } catch (error) {
      this.actionError = errorMessage(error);
    }
  }

  /** Back to the start (a new export, or Circle locked). */
  reset(): void {
    this.phase = 'idle';
    this.stage = null;
    this.stopping = false;
    this.done = null;
    this.notSaved = null;
    this.actionError = null;
  }
}
