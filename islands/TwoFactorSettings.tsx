// Two-factor authentication for the signed-in user: turn it on (a fresh key shown as a QR
// code, as text for typing in, and as an otpauth:// link, confirmed with a code from the app)
// or off (with a current code). Nothing is stored until the code proves the app has the key.
import { useState } from "preact/hooks";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { groupKey } from "@/lib/settings/format.ts";
import { IconCheck, IconShield } from "@/components/Icons.tsx";
import { FormError } from "@/components/FormError.tsx";

/** What the page gives the two-factor card. */
export interface TwoFactorSettingsProps {
  enabled: boolean;
  csrfToken: string | null;
}

type Phase =
  | { kind: "idle" }
  | { kind: "enrolling"; key: string; uri: string; secret: string }
  | { kind: "disabling" };

// The QR library is only needed while enrolling, so it is loaded then, not with the page.
async function qrPath(uri: string): Promise<{ path: string; size: number } | null> {
  try {
    const { default: qrcode } = await import("qrcode-generator");
    const qr = qrcode(0, "M");
    qr.addData(uri);
    qr.make();
    const n = qr.getModuleCount();
    let path = "";
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) if (qr.isDark(r, c)) path += `M${c} ${r}h1v1h-1z`;
    }
    return { path, size: n };
  } catch {
    // Without the picture the key and the link still work.
    return null;
  }
}

function QrCode(props: { path: string; size: number }) {
  const quiet = 3;
  const full = props.size + quiet * 2;
  return (
    <svg
      class="qr"
      viewBox={`${-quiet} ${-quiet} ${full} ${full}`}
      role="img"
      aria-label="QR code for your authenticator app"
      shape-rendering="crispEdges"
    >
      <rect x={-quiet} y={-quiet} width={full} height={full} fill="#fff" />
      <path d={props.path} fill="#111" />
    </svg>
  );
}

/** The two-factor card island. */
export default function TwoFactorSettings(props: TwoFactorSettingsProps) {
  const hydrated = useHydrated();
  setCsrfToken(props.csrfToken);
  const [enabled, setEnabled] = useState(props.enabled);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [qr, setQr] = useState<{ path: string; size: number } | null>(null);
  const [code, setCode] = useState("");
  const { busy, error, setError, run } = useAction();
  const [notice, setNotice] = useState<string | null>(null);

  const start = () => {
    setNotice(null);
    void run(async () => {
      const { key, uri } = await api<{ key: string; uri: string }>("/api/me/totp", {
        method: "POST",
      });
      const secret = new URL(uri).searchParams.get("secret") ?? "";
      setCode("");
      setQr(null);
      setPhase({ kind: "enrolling", key, uri, secret });
      setQr(await qrPath(uri));
    });
  };

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (phase.kind === "enrolling") {
        await api("/api/me/totp", { method: "PUT", body: { key: phase.key, code } });
        setEnabled(true);
        setNotice("Two-factor authentication is on. You'll be asked for a code at sign-in.");
      } else {
        await api("/api/me/totp", { method: "DELETE", body: { code } });
        setEnabled(false);
        setNotice("Two-factor authentication is off.");
      }
      setPhase({ kind: "idle" });
      setCode("");
    });
  };

  const cancel = () => {
    setPhase({ kind: "idle" });
    setError(null);
    setCode("");
  };

  const codeField = (
    <div class="field code-field">
      <label for="totp-code">
        {phase.kind === "enrolling" ? "Code from the app" : "Current code"}
      </label>
      <input
        id="totp-code"
        inputMode="numeric"
        autocomplete="one-time-code"
        placeholder="123 456"
        maxLength={7}
        value={code}
        onInput={(e) => setCode(e.currentTarget.value)}
        required
      />
    </div>
  );

  return (
    <fieldset class="island tfa" data-enabled={String(enabled)} disabled={!hydrated}>
      <div class="tfa-summary">
        <span class={`tfa-icon${enabled ? " is-on" : ""}`}>
          <IconShield size={20} />
        </span>
        <div class="tfa-words">
          <p class="tfa-title">
            Two-factor authentication{" "}
            <span class={`pill ${enabled ? "pill-good" : "pill-plain"}`}>
              {enabled ? "On" : "Off"}
            </span>
          </p>
          <p class="muted">
            {enabled
              ? "Signing in needs your password and a 6-digit code from your authenticator app."
              : "Protect your account with a code from an app such as 1Password, Google Authenticator or Authy."}
          </p>
        </div>
        {phase.kind === "idle" && (
          enabled
            ? (
              <button
                type="button"
                class="button button-secondary"
                onClick={() => {
                  setNotice(null);
                  setPhase({ kind: "disabling" });
                }}
              >
                Turn off
              </button>
            )
            : (
              <button
                type="button"
                class="button button-primary"
                disabled={busy}
                onClick={start}
              >
                Set up
              </button>
            )
        )}
      </div>
      {notice && (
        <p class="callout callout-success callout-boxed notice" role="status">
          <IconCheck size={16} /> {notice}
        </p>
      )}
      {phase.kind === "enrolling" && (
        <form class="tfa-enrol" onSubmit={submit}>
          <div class="tfa-qr">
            {qr ? <QrCode {...qr} /> : <div class="qr qr-placeholder" aria-hidden="true" />}
          </div>
          <ol class="tfa-steps">
            <li>
              <strong>Scan the QR code</strong> with your authenticator app, or{" "}
              <a href={phase.uri} class="tfa-link">open it on this device</a>.
            </li>
            <li>
              <strong>Or type the key</strong> into the app by hand:
              <code class="secret-key" data-testid="totp-key">{groupKey(phase.secret)}</code>
              <details class="tfa-uri">
                <summary>Show the full setup link</summary>
                <code>{phase.uri}</code>
              </details>
            </li>
            <li>
              <strong>Enter the 6-digit code</strong> the app shows to finish.
              {codeField}
            </li>
          </ol>
          <FormError error={error} />
          <div class="actions">
            <button type="button" class="button button-ghost" onClick={cancel}>Cancel</button>
            <button type="submit" class="button button-primary" disabled={busy}>
              Turn on two-factor
            </button>
          </div>
        </form>
      )}
      {phase.kind === "disabling" && (
        <form class="tfa-disable" onSubmit={submit}>
          <p class="muted">
            Enter a current code from your authenticator app to turn two-factor authentication off.
            Your account will then be protected by your password alone.
          </p>
          {codeField}
          <FormError error={error} />
          <div class="actions">
            <button type="button" class="button button-ghost" onClick={cancel}>Cancel</button>
            <button type="submit" class="button button-danger" disabled={busy}>
              Turn off two-factor
            </button>
          </div>
        </form>
      )}
      {phase.kind === "idle" && <FormError error={error} />}
    </fieldset>
  );
}
