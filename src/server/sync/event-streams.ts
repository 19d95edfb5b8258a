/**
 * The open event streams (`GET /api/sync/events`), with their limits. A stream costs the server a connection and a
 * timer for as long as it is open, and a session could open any number of them, so:
 * - one session keeps at most `STREAMS_PER_SESSION` open: a device needs one, a few more cover a page reloaded or a
 *   stream the browser reopened before the server noticed the old one was gone. A new stream beyond that closes the
 *   session's oldest, so a device that behaves always has its newest stream;
 * - one school keeps at most `STREAMS_PER_SCHOOL` open: a new one beyond that is refused (429). The device then
 *   hears of changes at its periodic sync instead of at once; nothing else is lost.
 * A stream also ends when its session ends: signed out, revoked, or at its absolute lifetime.
 */
export const STREAMS_PER_SESSION = 4;
const STREAMS_PER_SCHOOL = 500;

export interface OpenStream {
  schoolId: string;
  sessionId: string;
  /** Closes the connection (and calls `remove`). */
  end(): void;
}

export class EventStreams {
  /** Per session, in the order they were opened. */
  private readonly bySession = new Map<string, OpenStream[]>();
  private readonly perSchool = new Map<string, number>();

  constructor(private readonly limits = { perSession: STREAMS_PER_SESSION, perSchool: STREAMS_PER_SCHOOL }) {}

  /**
   * Makes room for a new stream of this session: ends the session's oldest ones beyond its limit. False when the
   * school has no room left (then nothing was ended).
   */
  admit(schoolId: string, sessionId: string): boolean {
    const own = this.bySession.get(sessionId) ?? [];
    const freed = Math.max(0, own.length - this.limits.perSession + 1);
    if ((this.perSchool.get(schoolId) ?? 0) - freed >= this.limits.perSchool) return false;
    for (const oldest of own.slice(0, freed)) oldest.end();
    return true;
  }

  add(stream: OpenStream): void {
    this.bySession.set(stream.sessionId, [...(this.bySession.get(stream.sessionId) ?? []), stream]);
    this.perSchool.set(stream.schoolId, (this.perSchool.get(stream.schoolId) ?? 0) + 1);
  }

  remove(stream: OpenStream): void {
    const own = this.bySession.get(stream.sessionId);
    if (!own?.includes(stream)) return;
    const rest = own.filter((each) => each !== stream);
    if (rest.length > 0) this.bySession.set(stream.sessionId, rest);
    else this.bySession.delete(stream.sessionId);
    const count = (this.perSchool.get(stream.schoolId) ?? 1) - 1;
    if (count > 0) this.perSchool.set(stream.schoolId, count);
    else this.perSchool.delete(stream.schoolId);
  }

  /** Ends every stream of a session (signed out or revoked). */
  endSession(sessionId: string): void {
    for (const stream of this.bySession.get(sessionId) ?? []) stream.end();
  }

  /** Ends every stream (the server stops: it waits for open connections, and a stream never ends by itself). */
  endAll(): void {
    for (const streams of [...this.bySession.values()]) for (const stream of streams) stream.end();
  }

  /** How many streams are open: of a school, or in all. */
  count(schoolId?: string): number {
    if (schoolId !== undefined) return this.perSchool.get(schoolId) ?? 0;
    let total = 0;
    for (const count of this.perSchool.values()) total += count;
    return total;
  }
}
