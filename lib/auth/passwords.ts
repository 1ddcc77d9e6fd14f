import { argon2id, argon2Verify } from "hash-wasm";
import { BadRequestError } from "@/lib/errors.ts";
import { COMMON_PASSWORDS } from "./common_passwords.ts";

// OWASP's argon2id recommendation: 19 MiB of memory, 2 iterations, 1 lane.
const ARGON2 = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 };

/** Hashes a password with argon2id into its self-describing encoded form. */
export function hashPassword(password: string): Promise<string> {
  return argon2id({
    ...ARGON2,
    password,
    salt: crypto.getRandomValues(new Uint8Array(16)),
    outputType: "encoded",
  });
}

/** Whether `password` matches an encoded argon2id hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}

/** Refuses weak passwords in words: 8–128 characters, not a common one, not the email. */
export function assertStrongPassword(password: string, email = ""): void {
  if (password.length < 8) {
    throw new BadRequestError("Password is too short: use at least 8 characters");
  }
  if (password.length > 128) {
    throw new BadRequestError("Password is too long: use at most 128 characters");
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || (email && lower === email.toLowerCase())) {
    throw new BadRequestError("Password is too common: choose one that is not on breach lists");
  }
}

/** A random password for a new account, shown once. */
export function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
