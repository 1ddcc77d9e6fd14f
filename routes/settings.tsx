// Settings: your account and two-factor authentication, API tokens, and for admins the team's
// users and the audit log. The server renders every section with its data; the islands take
// over the forms. Agents get no admin sections at all (and the API refuses them anyway).
import { define, page } from "@/lib/web/define.ts";
import { findUser, listUsers, type User } from "@/lib/auth/users.ts";
import { type ApiToken, listApiTokens } from "@/lib/auth/tokens.ts";
import { type AuditEntry, listAudit } from "@/lib/auth/audit.ts";
import { shortDate } from "@/lib/settings/format.ts";
import { zoneFromCookie } from "@/lib/shared/time.ts";
import { Avatar } from "@/components/Avatar.tsx";
import { SettingsFrame } from "@/components/SettingsFrame.tsx";
import {
  IconHistory,
  IconInbox,
  IconKey,
  IconPerson,
  IconShield,
  IconUsers,
} from "@/components/Icons.tsx";
import PasswordChange from "@/islands/PasswordChange.tsx";
import DisplayName from "@/islands/DisplayName.tsx";
import TwoFactorSettings from "@/islands/TwoFactorSettings.tsx";
import ApiTokens from "@/islands/ApiTokens.tsx";
import UserAdmin from "@/islands/UserAdmin.tsx";
import AuditLog, { AUDIT_PAGE } from "@/islands/AuditLog.tsx";
import SavedReplies from "@/islands/SavedReplies.tsx";
import WebhookSettings from "@/islands/WebhookSettings.tsx";
import type { WebhookEndpoint } from "@/lib/webhooks/schemas.ts";
import { listEndpoints } from "@/lib/webhooks/service.ts";
import type { SavedReply } from "@/lib/saved_replies/schemas.ts";
import { listSavedReplies } from "@/lib/saved_replies/service.ts";
import TeamAdmin from "@/islands/TeamAdmin.tsx";
import { listLabels } from "@/lib/conversations/labels.ts";
import { teamSettings } from "@/lib/conversations/settings.ts";
import type { Label } from "@/lib/shared/types.ts";
import type { ComponentChildren } from "preact";

interface SettingsData {
  me: User;
  csrfToken: string | null;
  tokens: ApiToken[];
  replies: SavedReply[];
  /** Admins only, like everything below. */
  webhooks: WebhookEndpoint[] | null;
  /** Admins only, like everything below. */
  users: User[] | null;
  audit: { entries: AuditEntry[]; next_before: number | null } | null;
  team: { labels: Label[]; autoAssign: boolean } | null;
  timeZone: string;
  now: number;
}

export const handler = define.handlers({
  async GET(c) {
    const { sql } = c.var.app;
    const p = c.var.principal;
    const admin = p.role === "admin";
    const [me, tokens, users, audit, labels, team, replies, webhooks] = await Promise.all([
      findUser(sql, p.userId),
      listApiTokens(sql, admin ? undefined : p.userId),
      admin ? listUsers(sql) : null,
      admin ? listAudit(sql, { limit: AUDIT_PAGE }) : null,
      admin ? listLabels(sql) : null,
      admin ? teamSettings(sql) : null,
      listSavedReplies(sql, c.var.app.settings, p.userId),
      admin ? listEndpoints(sql) : null,
    ]);
    return page<SettingsData>({
      me,
      csrfToken: p.csrfToken ?? null,
      tokens,
      replies: replies.saved_replies,
      webhooks,
      users,
      audit,
      team: labels && team ? { labels, autoAssign: team.auto_assign } : null,
      timeZone: zoneFromCookie(c.req.header("cookie")),
      now: Date.now(),
    });
  },
});

function Section(
  props: { id: string; title: string; lead?: string; children: ComponentChildren },
) {
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
      <header class="card-head">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.lead && <p class="muted">{props.lead}</p>}
      </header>
      <div class="card-body">{props.children}</div>
    </section>
  );
}

export default define.page<SettingsData>(({ data }) => {
  const { me } = data;
  const admin = me.role === "admin";
  type NavItem = [id: string, words: string, icon: (p: { size?: number }) => ComponentChildren];
  const nav: NavItem[] = [
    ["account", "Account", IconPerson],
    ["security", "Security", IconShield],
    ["tokens", "API tokens", IconKey],
    ["replies", "Saved replies", IconHistory],
  ];
  if (admin) {
    nav.push(
      ["users", "Users", IconUsers],
      ["team", "Team inbox", IconInbox],
      ["webhooks", "Webhooks", IconKey],
      ["audit", "Audit log", IconHistory],
    );
  }
  const owners = data.users ? Object.fromEntries(data.users.map((u) => [u.id, u.email])) : null;
  return (
    <SettingsFrame
      title="Settings"
      lead={admin
        ? "Your account, API access, and your team's users and activity."
        : "Your account and API access."}
      rail={
        <>
          <nav class="rail-nav" aria-label="Settings sections">
            {nav.map(([id, words, Icon]) => (
              <a key={id} href={`#${id}`} class="rail-link">
                <Icon size={17} /> {words}
              </a>
            ))}
          </nav>
          <form class="sidebar-foot rail-foot" method="post" action="/logout">
            <Avatar label={me.name || me.email} address={me.email} size="sm" />
            <span class="me">
              <span class="me-email" title={me.email}>{me.name || me.email}</span>
              <span class="me-role">{admin ? "Admin" : "Agent"}</span>
            </span>
            <input type="hidden" name="_csrf" value={data.csrfToken ?? ""} />
            <button type="submit" class="button button-ghost">Sign out</button>
          </form>
        </>
      }
    >
      <Section id="account" title="Account">
        <div class="profile">
          <Avatar label={me.name || me.email} address={me.email} size="lg" />
          <dl class="profile-facts">
            <div>
              <dt>Name</dt>
              <dd>{me.name || <span class="muted">Not set</span>}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd data-testid="my-email">{me.email}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd>
                <span class="pill pill-plain" data-testid="my-role">
                  {admin ? "Admin" : "Agent"}
                </span>
              </dd>
            </div>
            <div>
              <dt>Member since</dt>
              <dd>{shortDate(me.created_at, data.timeZone)}</dd>
            </div>
          </dl>
        </div>
        <DisplayName name={me.name} csrfToken={data.csrfToken} />
      </Section>

      <Section id="security" title="Security" lead="How you prove it's you when you sign in.">
        <TwoFactorSettings enabled={me.totp_enabled} csrfToken={data.csrfToken} />
        <PasswordChange csrfToken={data.csrfToken} />
      </Section>

      <Section
        id="tokens"
        title="API tokens"
        lead="For scripts and integrations that call Hatch's API."
      >
        <ApiTokens
          tokens={data.tokens}
          owners={owners}
          csrfToken={data.csrfToken}
          timeZone={data.timeZone}
          now={data.now}
        />
      </Section>

      <Section
        id="replies"
        title="Saved replies"
        lead="Shared by the team. In a conversation, type / and a few letters of a title to insert one."
      >
        <SavedReplies replies={data.replies} csrfToken={data.csrfToken} />
      </Section>

      {data.users && (
        <Section
          id="users"
          title="Users"
          lead="Everyone who can sign in. Admins manage users, tokens and the audit log; agents work the inbox."
        >
          <UserAdmin
            users={data.users}
            meId={me.id}
            csrfToken={data.csrfToken}
            timeZone={data.timeZone}
          />
        </Section>
      )}

      {data.team && (
        <Section
          id="team"
          title="Team inbox"
          lead="Labels anyone can put on conversations, and how replies assign them."
        >
          <TeamAdmin
            labels={data.team.labels}
            autoAssign={data.team.autoAssign}
            csrfToken={data.csrfToken}
          />
        </Section>
      )}

      {data.webhooks && (
        <Section
          id="webhooks"
          title="Webhooks"
          lead="Hatch posts events to these URLs, signed as Standard Webhooks say; each delivery is retried with backoff."
        >
          <WebhookSettings
            endpoints={data.webhooks}
            csrfToken={data.csrfToken}
            timeZone={data.timeZone}
          />
        </Section>
      )}

      {data.audit && (
        <Section
          id="audit"
          title="Audit log"
          lead="Sign-ins, token and user changes, and sends, newest first."
        >
          <AuditLog
            entries={data.audit.entries}
            nextBefore={data.audit.next_before}
            timeZone={data.timeZone}
          />
        </Section>
      )}
    </SettingsFrame>
  );
});
