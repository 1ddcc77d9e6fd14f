// What a browser gets for a page that does not exist (a mistyped or stale link): words and the
// way back, in the sign-in page's card. API and webhook paths keep their JSON answer.
import { define } from "@/lib/web/define.ts";
import { Stylesheets } from "@/components/Stylesheets.tsx";

export default define.page(({ url }) => (
  <main class="login">
    <Stylesheets names={["auth"]} />
    <div class="login-card">
      <h1 class="login-title">
        <img src="/static/favicon.svg" alt="" width="28" height="28" /> Hatch
      </h1>
      <p class="login-sub">
        There is no page at{" "}
        <code>{url.pathname}</code>. The link may be mistyped, or what it showed may have moved.
      </p>
      <a class="login-button not-found-home" href="/">Back to the inbox</a>
    </div>
  </main>
));
