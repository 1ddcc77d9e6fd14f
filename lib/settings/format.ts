// Words for the settings page, shared by its server render and its islands so that hydration
// finds the same text: dates relative to the render's `now`, audit actions, token states.
import { fullTime } from "@/lib/shared/time.ts";

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar date: `Mar 3, 2025`. */
export function shortDate(iso: string, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone });
    } catch {
      f = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
    }
    dateFormats.set(timeZone, f);
  }
  return f.format(new Date(iso));
}

/** How long ago, in the words people use: `just now`, `5 min ago`, `3 h ago`, else the date. */
export function ago(iso: string, now: number, timeZone: string): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  if (seconds < 2 * 86_400) return "yesterday";
  if (seconds < 7 * 86_400) return `${Math.floor(seconds / 86_400)} days ago`;
  return shortDate(iso, timeZone);
}

/** When a token stops working, from `now`: `Never`, `in 12 days`, a date, or `Expired`. */
export function expiry(iso: string | null, now: number, timeZone: string): string {
  if (!iso) return "Never";
  const days = (Date.parse(iso) - now) / 86_400_000;
  if (days <= 0) return "Expired";
  if (days < 1) return "Today";
  if (days < 60) return `in ${Math.round(days)} days`;
  return shortDate(iso, timeZone);
}

/** A token's state for its badge. */
export function tokenState(
  t: { revoked: boolean; expires_at: string | null },
  now: number,
): "active" | "revoked" | "expired" {
  if (t.revoked) return "revoked";
  if (t.expires_at && Date.parse(t.expires_at) <= now) return "expired";
  return "active";
}

/** The audit log's actions, grouped for the filter, with the words the log shows for each. */
export const AUDIT_ACTIONS: { group: string; actions: [string, string][] }[] = [
  {
    group: "Sign-in",
    actions: [
      ["login.succeeded", "Signed in"],
      ["login.failed", "Sign-in failed"],
      ["login.throttled", "Sign-in throttled"],
      ["logout", "Signed out"],
    ],
  },
  {
    group: "API tokens",
    actions: [
      ["token.created", "Token created"],
      ["token.revoked", "Token revoked"],
    ],
  },
  {
    group: "Users",
    actions: [
      ["user.created", "User created"],
      ["user.updated", "User updated"],
      ["user.renamed", "User renamed"],
      ["user.disabled", "User disabled"],
      ["user.enabled", "User enabled"],
      ["user.password_reset", "Password reset"],
      ["user.password_changed", "Password changed"],
      ["user.totp_enabled", "Two-factor on"],
      ["user.totp_disabled", "Two-factor off"],
    ],
  },
  {
    group: "Sending",
    actions: [
      ["send.message", "SMS sent"],
      ["send.email", "Email sent"],
      ["send.retry", "Send retried"],
      ["schedule.message.edited", "Scheduled text changed"],
      ["schedule.message.cancelled", "Scheduled text cancelled"],
      ["schedule.email.edited", "Scheduled email changed"],
      ["schedule.email.cancelled", "Scheduled email cancelled"],
    ],
  },
  {
    group: "Outbound",
    actions: [
      ["broadcast.started", "Broadcast started"],
      ["broadcast.pause", "Broadcast paused"],
      ["broadcast.resume", "Broadcast resumed"],
      ["broadcast.cancel", "Broadcast cancelled"],
      ["contacts.import_started", "Contacts imported"],
      ["import.lean_hatch", "Prototype data imported"],
      ["saved_reply.created", "Saved reply created"],
      ["saved_reply.updated", "Saved reply changed"],
      ["saved_reply.deleted", "Saved reply deleted"],
      ["webhook.created", "Webhook added"],
      ["webhook.updated", "Webhook changed"],
      ["webhook.deleted", "Webhook deleted"],
      ["webhook.disabled", "Webhook turned off"],
      ["webhook.resent", "Webhook delivery resent"],
      ["webhook.secret_rotated", "Webhook secret rotated"],
    ],
  },
  {
    group: "Team inbox",
    actions: [
      ["conversation.assigned", "Assigned"],
      ["conversation.unassigned", "Unassigned"],
      ["conversation.closed", "Closed"],
      ["conversation.snoozed", "Snoozed"],
      ["conversation.reopened", "Reopened"],
      ["conversation.woke", "Back from snooze"],
      ["conversation.labelled", "Labels changed"],
      ["note.created", "Note added"],
      ["label.created", "Label created"],
      ["label.updated", "Label changed"],
      ["label.deleted", "Label deleted"],
      ["team.settings", "Team settings changed"],
    ],
  },
];

const ACTION_WORDS = new Map(AUDIT_ACTIONS.flatMap((g) => g.actions));

/** The words for an audit action; an action this page does not know shows as itself. */
export function actionLabel(action: string): string {
  return ACTION_WORDS.get(action) ?? action;
}

/** How an action's badge is coloured: problems stand out, the rest stays quiet. */
export function actionTone(action: string): "bad" | "good" | "plain" {
  if (/\.(failed|throttled|revoked|disabled|totp_disabled)$/.test(action)) return "bad";
  if (/^login\.succeeded$|\.created$|\.totp_enabled$|\.enabled$/.test(action)) return "good";
  return "plain";
}

// Ids say nothing to a person reading the log; the rest of the detail does.
const HIDDEN_DETAIL = /(^|_)id$/;

/** An audit entry's detail as one short line: `reason: wrong code · role: agent`. */
export function detailLine(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (HIDDEN_DETAIL.test(key) || value === null || value === undefined) continue;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    parts.push(`${key.replaceAll("_", " ")}: ${text.length > 80 ? text.slice(0, 79) + "…" : text}`);
  }
  return parts.join(" · ");
}

/** The audit log's time column. */
export function auditTime(iso: string, timeZone: string): string {
  return fullTime(iso, timeZone);
}

/** A TOTP secret for typing by hand: base32 in groups of four. */
export function groupKey(secret: string): string {
  return secret.replace(/=+$/, "").match(/.{1,4}/g)?.join(" ") ?? secret;
}
