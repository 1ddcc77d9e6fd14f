import { createTOTPKeyURI, verifyTOTPWithGracePeriod } from "@oslojs/otp";

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** A new random TOTP key (hex, as stored) for a user to enrol. */
export function newTotpKey(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(20)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/** The otpauth:// URI an authenticator app reads (as a QR code or typed in). */
export function totpUri(keyHex: string, email: string): string {
  return createTOTPKeyURI("Hatch", email, hexToBytes(keyHex), 30, 6);
}

/** Whether a 6-digit code is right for the key now (one step of clock drift allowed). */
export function verifyTotp(keyHex: string, code: string): boolean {
  const digits = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(digits)) return false;
  return verifyTOTPWithGracePeriod(hexToBytes(keyHex), 30, 6, digits, 30);
}
