// Admins' user management: the team's accounts with role, status and two-factor at a glance;
// add a user, change a role, reset a password, disable or enable. The server has the last
// word on every rule (password strength, the last admin, not disabling yourself) and its
// words are shown as they come.
import { useState } from "preact/hooks";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import type { User } from "@/lib/auth/users.ts";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { shortDate } from "@/lib/settings/format.ts";
import { Avatar } from "@/components/Avatar.tsx";
import { Modal, ModalActions } from "@/components/Modal.tsx";
import { IconPlus } from "@/components/Icons.tsx";
import { FormError } from "@/components/FormError.tsx";
import { PasswordField } from "@/components/PasswordField.tsx";

/** What the page gives the users card. */
export interface UserAdminProps {
  users: User[];
  meId: string;
  csrfToken: string | null;
  timeZone: string;
}

type Role = User["role"];
type Dialog =
  | { kind: "create" }
  | { kind: "password"; user: User }
  | { kind: "rename"; user: User }
  | { kind: "disable"; user: User }
  | null;

function teamSummary(users: User[]): string {
  const n = (count: number, one: string) => `${count} ${one}${count === 1 ? "" : "s"}`;
  const admins = users.filter((u) => u.role === "admin" && !u.disabled).length;
  const disabled = users.filter((u) => u.disabled).length;
  return [
    n(users.length - disabled, "active user"),
    n(admins, "admin"),
    ...(disabled ? [`${disabled} disabled`] : []),
  ].join(" · ");
}

/** The user management island. */
export default function UserAdmin(props: UserAdminProps) {
  const hydrated = useHydrated();
  setCsrfToken(props.csrfToken);
  const [users, setUsers] = useState(props.users);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form, setForm] = useState({ email: "", name: "", role: "agent" as Role, password: "" });
  // One way to call the API for every change here: busy while it runs, its words on failure.
  const { busy, error, setError, run } = useAction();
  const [rowError, setRowError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const open = (d: Dialog) => {
    setError(null);
    setNotice(null);
    setForm({ email: "", name: "", role: "agent", password: "" });
    setDialog(d);
  };

  const replace = (u: User) => setUsers((all) => all.map((x) => (x.id === u.id ? u : x)));

  const patch = (user: User, body: Record<string, unknown>) =>
    api<{ user: User }>(`/api/users/${user.id}`, { method: "PATCH", body });

  const create = (e: Event) => {
    e.preventDefault();
    setError(null);
    void run(async () => {
      const res = await api<{ user: User }>("/api/users", {
        method: "POST",
        body: { email: form.email, name: form.name, role: form.role, password: form.password },
      });
      setUsers((all) => [...all, res.user]);
      setDialog(null);
      setNotice(`Added ${res.user.email}. Give them their password; they can sign in now.`);
    }, setError);
  };

  const setRole = (user: User, role: Role) => {
    setRowError(null);
    setNotice(null);
    void run(async () => replace((await patch(user, { role })).user), (words) => {
      setRowError(words);
      // Put the menu back: the change did not happen.
      setUsers((all) => [...all]);
    });
  };

  const setDisabled = (user: User, disabled: boolean) => {
    setRowError(null);
    setNotice(null);
    void run(async () => {
      replace((await patch(user, { disabled })).user);
      setDialog(null);
    }, (words) => (dialog ? setError(words) : setRowError(words)));
  };

  const rename = (e: Event) => {
    e.preventDefault();
    if (dialog?.kind !== "rename") return;
    const user = dialog.user;
    void run(async () => {
      replace((await patch(user, { name: form.name })).user);
      setDialog(null);
    }, setError);
  };

  const resetPassword = (e: Event) => {
    e.preventDefault();
    if (dialog?.kind !== "password") return;
    const user = dialog.user;
    setError(null);
    void run(async () => {
      await patch(user, { password: form.password });
      // A reset ends every session of that user, this one included when it is yours.
      if (user.id === props.meId) return location.assign("/login");
      setDialog(null);
      setNotice(`New password set for ${user.email}; they were signed out everywhere.`);
    }, setError);
  };

  return (
    <fieldset class="island users" disabled={!hydrated}>
      <div class="card-bar">
        <p class="muted">{teamSummary(users)}</p>
        <button
          type="button"
          class="button button-primary"
          onClick={() => open({ kind: "create" })}
        >
          <IconPlus size={16} /> Add user
        </button>
      </div>
      {notice && <p class="callout callout-success callout-boxed notice" role="status">{notice}</p>}
      <FormError error={rowError} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>Two-factor</th>
              <th>Status</th>
              <th>Added</th>
              <th class="sr-only-th">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user={u.email} class={u.disabled ? "is-disabled" : ""}>
                <td data-label="User">
                  <div class="person">
                    <Avatar label={u.name || u.email} address={u.email} size="sm" />
                    <span class="person-words">
                      <span class="cell-main">
                        {u.name || u.email}
                        {u.id === props.meId && <span class="pill pill-plain">You</span>}
                      </span>
                      {u.name && <span class="cell-sub">{u.email}</span>}
                    </span>
                  </div>
                </td>
                <td data-label="Role">
                  <select
                    class="select-inline"
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={busy}
                    onChange={(e) =>
                      setRole(u, e.currentTarget.value as Role)}
                  >
                    <option value="agent">Agent</option>
                    <option value="admin">Admin</option>
                  </select>
                </td>
                <td data-label="Two-factor">
                  <span class={`pill ${u.totp_enabled ? "pill-good" : "pill-plain"}`}>
                    {u.totp_enabled ? "On" : "Off"}
                  </span>
                </td>
                <td data-label="Status">
                  <span class={`pill ${u.disabled ? "pill-revoked" : "pill-active"}`}>
                    {u.disabled ? "Disabled" : "Active"}
                  </span>
                </td>
                <td data-label="Added">{shortDate(u.created_at, props.timeZone)}</td>
                <td class="cell-actions">
                  <button
                    type="button"
                    class="button button-ghost"
                    aria-label={`Rename ${u.email}`}
                    onClick={() => {
                      open({ kind: "rename", user: u });
                      setForm((f) => ({ ...f, name: u.name }));
                    }}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    class="button button-ghost"
                    aria-label={`Reset password of ${u.email}`}
                    onClick={() =>
                      open({ kind: "password", user: u })}
                  >
                    Reset password
                  </button>
                  {u.id !== props.meId && (
                    u.disabled
                      ? (
                        <button
                          type="button"
                          class="button button-ghost"
                          aria-label={`Enable ${u.email}`}
                          disabled={busy}
                          onClick={() => setDisabled(u, false)}
                        >
                          Enable
                        </button>
                      )
                      : (
                        <button
                          type="button"
                          class="button button-ghost button-danger-text"
                          aria-label={`Disable ${u.email}`}
                          onClick={() => open({ kind: "disable", user: u })}
                        >
                          Disable
                        </button>
                      )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Modal
        open={dialog?.kind === "create"}
        title="Add a user"
        onClose={() => setDialog(null)}
        focus="#user-email"
      >
        <form class="modal-form" onSubmit={create}>
          <div class="field-pair">
            <div class="field">
              <label for="user-email">Email</label>
              <input
                id="user-email"
                type="email"
                autocomplete="off"
                value={form.email}
                onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
                required
              />
            </div>
            <div class="field">
              <label for="user-name">Name</label>
              <input
                id="user-name"
                autocomplete="off"
                placeholder="Optional"
                maxLength={100}
                value={form.name}
                onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
              />
            </div>
          </div>
          <fieldset class="role-choice">
            <legend>Role</legend>
            {(["agent", "admin"] as const).map((r) => (
              <label key={r} class={`role-option${form.role === r ? " is-checked" : ""}`}>
                <input
                  type="radio"
                  name="role"
                  value={r}
                  checked={form.role === r}
                  onChange={() =>
                    setForm({ ...form, role: r })}
                />
                <span>
                  <strong>{r === "agent" ? "Agent" : "Admin"}</strong>
                  <span class="muted small">
                    {r === "agent"
                      ? "Reads and answers conversations; manages their own API tokens."
                      : "Everything agents do, plus users, all tokens and the audit log."}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          <PasswordField
            id="user-password"
            value={form.password}
            onInput={(password) => setForm({ ...form, password })}
          />
          <FormError error={error} />
          <ModalActions onCancel={() => setDialog(null)} busy={busy}>Add user</ModalActions>
        </form>
      </Modal>

      <Modal
        open={dialog?.kind === "password"}
        title="Reset password"
        onClose={() => setDialog(null)}
        focus="#reset-password"
      >
        {dialog?.kind === "password" && (
          <form class="modal-form" onSubmit={resetPassword}>
            <p class="confirm-words">
              A new password for <strong>{dialog.user.email}</strong>.{" "}
              {dialog.user.id === props.meId
                ? "You will be signed out everywhere, this browser included, and sign in again with it."
                : "They will be signed out everywhere and sign in again with it."}
            </p>
            <PasswordField
              id="reset-password"
              value={form.password}
              onInput={(password) => setForm({ ...form, password })}
            />
            <FormError error={error} />
            <ModalActions onCancel={() => setDialog(null)} busy={busy}>Set password</ModalActions>
          </form>
        )}
      </Modal>

      <Modal
        open={dialog?.kind === "rename"}
        title="Rename user"
        size="sm"
        onClose={() => setDialog(null)}
        focus="#rename-name"
      >
        {dialog?.kind === "rename" && (
          <form class="modal-form" onSubmit={rename}>
            <div class="field">
              <label for="rename-name">Display name of {dialog.user.email}</label>
              <input
                id="rename-name"
                maxLength={100}
                value={form.name}
                onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
              />
            </div>
            <FormError error={error} />
            <ModalActions onCancel={() => setDialog(null)} busy={busy}>Save name</ModalActions>
          </form>
        )}
      </Modal>

      <Modal
        open={dialog?.kind === "disable"}
        title="Disable this user?"
        size="sm"
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === "disable" && (
          <div class="modal-form">
            <p class="confirm-words">
              <strong>{dialog.user.email}</strong>{" "}
              is signed out everywhere, cannot sign in, and their API tokens stop working. You can
              enable them again later.
            </p>
            <FormError error={error} />
            <ModalActions
              onCancel={() => setDialog(null)}
              busy={busy}
              danger
              onAction={() => setDisabled(dialog.user, true)}
            >
              Disable user
            </ModalActions>
          </div>
        )}
      </Modal>
    </fieldset>
  );
}
