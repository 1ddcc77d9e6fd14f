// Who sent one of our messages, as the inbox says it: "You" for the reader's own sends, a
// colleague's name for theirs.

/** The sender of an outbound message or email, as the API gives it. */
export interface Sender {
  user_id: string | null;
  name: string;
}

/** "You", the sender's name, or "Hatch" when nobody is recorded (the command line, or sends from before senders were recorded). */
export function senderWords(sender: Sender | null | undefined, me: string | null): string {
  if (!sender) return "Hatch";
  if (me && sender.user_id === me) return "You";
  return sender.name || "A colleague";
}
