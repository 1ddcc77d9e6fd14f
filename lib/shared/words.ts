// Counts for people, as the pages write them.

/** `1 message`, `3 messages`. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
