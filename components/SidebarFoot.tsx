// The foot of the sidebar on every page that has one: who is signed in, their settings, and
// signing out (a form, so it works without script and carries the CSRF token).
import { Avatar } from "./Avatar.tsx";
import { IconSettings } from "./Icons.tsx";

/** The signed-in user, a link to settings, and Sign out. */
export function SidebarFoot(
  props: { user: { email: string; role: string; name?: string }; csrfToken: string | null },
) {
  // The display name when set (Settings → Your account), else the address.
  const name = props.user.name || props.user.email;
  return (
    <form class="sidebar-foot" method="post" action="/logout">
      <Avatar label={name} address={props.user.email} size="sm" />
      <span class="me" title={props.user.email}>
        <span class="me-email">{name}</span>
        <span class="me-role">{props.user.role === "admin" ? "Admin" : "Agent"}</span>
      </span>
      <input type="hidden" name="_csrf" value={props.csrfToken ?? ""} />
      <a class="icon-button" href="/settings" aria-label="Settings" title="Settings">
        <IconSettings size={18} />
      </a>
      <button type="submit" class="button button-ghost">Sign out</button>
    </form>
  );
}
