// Shown above an SMS thread whose recipient opted out: carriers block our texts to them until
// they text START, so the composer is switched off with the same reason.
import type { OptOut } from "@/lib/shared/types.ts";
import { fullTime } from "@/lib/shared/time.ts";
import { optOutWords } from "@/lib/shared/delivery_words.ts";
import { IconBlock } from "./Icons.tsx";

/** "Opted out — Replied STOP on …; they can text START to opt back in" (a carrier's refusal in words). */
export function OptOutBanner(props: { optOut: OptOut; timeZone: string }) {
  return (
    <div class="optout" role="status" data-testid="opt-out">
      <span class="optout-icon">
        <IconBlock size={16} />
      </span>
      <p>
        <strong>Opted out</strong> — {optOutWords(props.optOut.keyword).long} on{" "}
        {fullTime(props.optOut.opted_out_at, props.timeZone)}; they can text START to opt back in
      </p>
    </div>
  );
}
