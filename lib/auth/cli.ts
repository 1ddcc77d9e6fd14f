import { parseArgs } from "node:util";
import type { Sql } from "@/lib/db/connect.ts";
import { HatchError } from "@/lib/errors.ts";
import { audit } from "./audit.ts";
import { generatePassword } from "./passwords.ts";
import { createApiToken, revokeApiToken } from "./tokens.ts";
import { createUser, findUser, listUsers, resetPassword, setUserDisabled } from "./users.ts";

const CLI = { label: "operator (cli)" };

// Options may stand anywhere (`user create --admin ana@example.com` as well as after the email),
// so positionals are what is left once they are taken out.
function readArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        admin: { type: "boolean", default: false },
        name: { type: "string" },
        password: { type: "string" },
      },
    });
  } catch (e) {
    throw new HatchError(`${(e as Error).message}: see deno task hatch help`);
  }
}

/** `hatch user …` and `hatch token …`: manage accounts from the operator's shell. */
export async function accountCommand(sql: Sql, group: string, args: string[]): Promise<number> {
  const { values: options, positionals } = readArgs(args);
  const [verb, target, extra] = positionals;
  const key = `${group} ${verb ?? ""}`.trim();
  switch (key) {
    case "user create": {
      if (!target) {
        throw new HatchError("Usage: user create <email> [--admin] [--name N] [--password P]");
      }
      const given = options.password;
      const password = given ?? generatePassword();
      const user = await createUser(sql, {
        email: target,
        name: options.name ?? "",
        role: options.admin ? "admin" : "agent",
        password,
      }, CLI);
      console.log(`Created ${user.role} ${user.email}`);
      if (!given) console.log(`Password (shown once): ${password}`);
      return 0;
    }
    case "user list": {
      for (const u of await listUsers(sql)) {
        const flags = [u.role, u.disabled ? "disabled" : "", u.totp_enabled ? "2fa" : ""].filter(
          Boolean,
        );
        console.log(`${u.email.padEnd(36)} ${flags.join(", ")}`);
      }
      return 0;
    }
    case "user disable":
    case "user enable": {
      const user = await findUser(sql, target ?? "");
      await setUserDisabled(sql, user.id, verb === "disable");
      await audit(sql, CLI, `user.${verb}d`, { target: user.email });
      console.log(`${verb === "disable" ? "Disabled" : "Enabled"} ${user.email}`);
      return 0;
    }
    case "user reset-password": {
      const user = await findUser(sql, target ?? "");
      const given = options.password;
      const password = given ?? generatePassword();
      await resetPassword(sql, user.id, password);
      await audit(sql, CLI, "user.password_reset", { target: user.email });
      console.log(`New password for ${user.email}${given ? " set" : ` (shown once): ${password}`}`);
      return 0;
    }
    case "token create": {
      const user = await findUser(sql, target ?? "");
      if (!extra) throw new HatchError("Usage: token create <email> <name>");
      const { token, apiToken } = await createApiToken(sql, {
        userId: user.id,
        name: extra,
        actor: CLI,
      });
      console.log(`Token ${apiToken.id} for ${user.email} (shown once):\n${token}`);
      return 0;
    }
    case "token revoke": {
      const token = await revokeApiToken(sql, target ?? "", { actor: CLI });
      console.log(`Revoked token ${token.id}`);
      return 0;
    }
    default:
      throw new HatchError(`Unknown command "${key}": see deno task hatch help`);
  }
}
