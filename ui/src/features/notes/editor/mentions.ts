/**
 * @-mentions in the shared part of a group note.
 *
 * Rust stores a mention as the token `@[client:<id>]` and turns it into
 * "Member B" (or the reader's own name) in each member's record. The editor
 * shows it as `@Display Name`, so a therapist reads and writes names, not
 * numbers. These functions convert between the two, and help the textarea
 * find and insert a mention while someone types. Nothing here touches the
 * DOM or the network.
 */

/** What a mention needs to know about a booked member. */
export interface MentionMember {
  clientId: number;
  displayName: string;
}

/** A member as the mention list offers them. */
export interface MentionOption {
  clientId: number;
  /** What follows "@" in the editor. */
  label: string;
}

const TOKEN = /@\[client:(\d+)\]/g;

/** The token Rust stores for a mention of `clientId`. */
export function mentionToken(clientId: number): string {
  return `@[client:${clientId}]`;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{M}\p{N}_]/u.test(char);
}

/**
 * The label each member is mentioned by, in roster order: their display
 * name. Two members with the same display name would be indistinguishable,
 * so the second and later get " (2)", " (3)"… after it.
 */
export function mentionOptions(members: readonly MentionMember[]): MentionOption[] {
  const seen = new Map<string, number>();
  return members.map((member) => {
    const name = member.displayName.trim();
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return { clientId: member.clientId, label: n === 1 ? name : `${name} (${n})` };
  });
}

/** Stored text → editor text: each token of a booked member becomes `@Display Name`. */
export function toEditorText(stored: string, members: readonly MentionMember[]): string {
  const labels = new Map(mentionOptions(members).map((o) => [o.clientId, o.label]));
  return stored.replace(TOKEN, (token: string, id: string) => {
    const label = labels.get(Number(id));
    // Someone no longer booked: the token stays, so it survives the round trip.
    return label === undefined ? token : `@${label}`;
  });
}

/**
 * Editor text → stored text: `@Display Name` of a booked member becomes their
 * token. Longer names are tried first ("@Zoë Martinez" is not "@Zoë Martin"
 * followed by "ez"), a name must end where a word ends ("@Bo Chen," and
 * "@Bo Chen's" match, "@Bo Chenoweth" does not), and an "@" inside a word
 * (an email address) is left alone. Anything else stays exactly as typed.
 */
export function toStoredText(editorText: string, members: readonly MentionMember[]): string {
  if (!editorText.includes('@')) return editorText;
  const options = mentionOptions(members)
    .filter((o) => o.label.length > 0)
    .sort((a, b) => b.label.length - a.label.length);
  let out = '';
  let i = 0;
  while (i < editorText.length) {
    const at = editorText.indexOf('@', i);
    if (at < 0) {
      out += editorText.slice(i);
      break;
    }
    out += editorText.slice(i, at);
    const match = canStartMention(editorText, at)
      ? options.find(
          (o) =>
            editorText.startsWith(o.label, at + 1) &&
            !isWordChar(editorText[at + 1 + o.label.length]),
        )
      : undefined;
    if (match) {
      out += mentionToken(match.clientId);
      i = at + 1 + match.label.length;
    } else {
      out += '@';
      i = at + 1;
    }
  }
  return out;
}

function canStartMention(text: string, at: number): boolean {
  return at === 0 || !isWordChar(text[at - 1]);
}

/** A mention being typed: where its "@" is and what follows it up to the caret. */
export interface MentionQuery {
  start: number;
  query: string;
}

/** The longest query worth matching (long display names plus some slack). */
const MAX_QUERY = 60;

/**
 * The mention being typed at `caret`, if any: an "@" at the start of a word,
 * on the same line, with no more than a name's worth of text after it.
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(Math.max(0, caret - MAX_QUERY - 1), caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  const start = caret - before.length + at;
  const query = text.slice(start + 1, caret);
  if (/[\n\r]/.test(query) || query.startsWith(' ')) return null;
  if (!canStartMention(text, start)) return null;
  return { start, query };
}

/**
 * Members whose label starts with `query`, or has a word that does (ignoring
 * case), in roster order. An empty query lists everyone.
 */
export function matchMentions(options: readonly MentionOption[], query: string): MentionOption[] {
  const q = query.toLocaleLowerCase();
  if (q === '') return [...options];
  return options.filter((o) => {
    const label = o.label.toLocaleLowerCase();
    return label.startsWith(q) || label.split(/\s+/).some((word) => word.startsWith(q));
  });
}

/**
 * Puts `@Label` in place of the "@query" typed from `start` to `caret`.
 * Returns the new text and where the caret goes: right after the name, with
 * no space added, so what is typed next (" shared…", "'s", ", ") follows it
 * as typed, never after a doubled space.
 */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  label: string,
): { text: string; caret: number } {
  return {
    text: `${text.slice(0, start)}@${label}${text.slice(caret)}`,
    caret: start + label.length + 1,
  };
}
