// The snooze menu's presets, computed in the reader's own clock.

/** The snooze presets: later today (in 3 hours), tomorrow 9:00, next Monday 9:00. */
export function snoozePresets(now = new Date()): { label: string; until: Date }[] {
  const later = new Date(now.getTime() + 3 * 3_600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(now.getDate() + (((8 - now.getDay()) % 7) || 7));
  monday.setHours(9, 0, 0, 0);
  return [
    { label: "Later today", until: later },
    { label: "Tomorrow morning", until: tomorrow },
    { label: "Next week", until: monday },
  ];
}
