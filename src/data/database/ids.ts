/** A fresh random id for a new record (RFC 4122 v4, from the platform's CSPRNG). */
export function newId(): string {
  return crypto.randomUUID();
}
