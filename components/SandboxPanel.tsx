// The sandbox simulator: with no real SMS provider, the user can answer as the customer.
import { useState } from "preact/hooks";
import { IconFlask, IconSend } from "./Icons.tsx";
import { errorWords } from "@/lib/client/api.ts";

/** A small form that sends an inbound SMS (or, in an email conversation, an email reply) into the open conversation. */
export function SandboxPanel(props: {
  customer: string;
  kind: "sms" | "email";
  onSend: (body: string) => Promise<void>;
}) {
  const [text, setText] = useState("");
  const [state, setState] = useState<{ kind: "idle" | "busy" | "ok" | "error"; words?: string }>(
    { kind: "idle" },
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = text.trim();
    if (!body || state.kind === "busy") return;
    setState({ kind: "busy" });
    try {
      await props.onSend(body);
      setText("");
      setState({ kind: "ok", words: "Delivered to the inbox" });
    } catch (err) {
      setState({ kind: "error", words: errorWords(err) });
    }
  };
  return (
    <section class="sandbox" aria-labelledby="sandbox-title">
      <header class="sandbox-head">
        <span class="sandbox-icon">
          <IconFlask size={15} />
        </span>
        <div>
          <h2 id="sandbox-title">Sandbox simulator</h2>
          <p class="sandbox-plain">
            Nothing leaves this machine: no text or email is really sent, and replies come only from
            here.
          </p>
          <p>
            Reply as {props.customer}: {props.kind === "email"
              ? "an email reply arrives in this conversation."
              : "an inbound SMS arrives in this conversation."}
          </p>
        </div>
      </header>
      <form class="sandbox-form" onSubmit={submit}>
        <label class="sr-only" for="sandbox-text">Customer's reply</label>
        <input
          id="sandbox-text"
          value={text}
          placeholder="Type the customer's reply…"
          autocomplete="off"
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button
          type="submit"
          class="button button-secondary"
          disabled={!text.trim() || state.kind === "busy"}
        >
          <IconSend size={15} /> Receive
        </button>
      </form>
      {state.words && (
        <p
          class={`callout ${state.kind === "error" ? "" : "callout-success "}sandbox-note`}
          role="status"
        >
          {state.words}
        </p>
      )}
    </section>
  );
}
