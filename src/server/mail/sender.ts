/**
 * The mail loop of a server with SMTP configured: it sends what is due in the queue (every SEND_EVERY_MS, and soon
 * after a push queued something: `wake`), and every ROUNDS_EVERY_MS it queues the reminders and digests that have
 * come due (src/server/mail/rounds.ts). A server without SMTP runs none of this and queues nothing.
 *
 * Sending once. A row is taken with a lease, written from the records as they are now, handed to SMTP and marked
 * sent. Only a process that dies between the SMTP server's "accepted" and that mark can send a row again (after the
 * lease); its Message-ID is the row's, so the second copy is the same message. Failures (refused, unreachable) back
 * off and are tried again; the log says why, never to whom.
 */
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '../db/database';
import type { MailConfig } from '../config';
import {
  deferHour,
  markDropped,
  markFailed,
  markSent,
  pruneMailQueue,
  sentWithinHour,
  takeNext,
  type QueuedNotice,
} from './queue';
import { renderNotice, type MailMessage } from './messages';
import { queueRounds } from './rounds';

const SEND_EVERY_MS = 30_000;
const ROUNDS_EVERY_MS = 15 * 60_000;
/** After a push, wait this long so a burst of pushes sends in one go. */
const WAKE_DELAY_MS = 1_000;
/** At most this many rows in one round of the loop (the next round comes at once when a push wakes it, else soon). */
const BATCH = 500;
/** At most this many e-mails to one person in an hour; more wait for the next hour. */
const PER_PERSON_PER_HOUR = 20;
/** The queue's old rows are pruned at most this often. */
const PRUNE_EVERY_MS = 24 * 3_600_000;

interface Log {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Sends one message; the default is nodemailer over SMTP. */
export type SendMail = (message: MailMessage, messageId: string) => Promise<void>;

function smtpSender(config: MailConfig): { send: SendMail; close(): void } {
  const transport: Transporter = nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    requireTLS: config.smtp.requireTls,
    ...(config.smtp.user ? { auth: { user: config.smtp.user, pass: config.smtp.password ?? '' } } : {}),
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
  return {
    async send(message, messageId) {
      await transport.sendMail({
        from: config.from,
        // As an address object, never a text nodemailer would read as a list of addresses.
        to: { name: '', address: message.to },
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
        messageId,
        ...(message.calendar
          ? {
              icalEvent: {
                method: message.calendar.method,
                filename: message.calendar.method === 'CANCEL' ? 'lesbezoek-geannuleerd.ics' : 'lesbezoek.ics',
                content: message.calendar.content,
              },
            }
          : {}),
      });
    },
    close: () => transport.close(),
  };
}

/** Why sending failed, for the log and the queue: the SMTP answer's code, never the addresses in its text. */
function failureOf(error: unknown): string {
  const fields = error as { responseCode?: number; code?: string };
  if (typeof fields.responseCode === 'number') return `smtp ${fields.responseCode}`;
  if (typeof fields.code === 'string') return fields.code.slice(0, 40);
  return 'error';
}

export class MailSender {
  private sendTimer: NodeJS.Timeout | undefined;
  private roundsTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private prunedAt = -Infinity;

  constructor(
    private readonly database: Database,
    private readonly config: MailConfig,
    private readonly now: () => number,
    private readonly log: Log,
    private readonly transport: { send: SendMail; close(): void } = smtpSender(config),
  ) {}

  start(): void {
    this.sendTimer = setInterval(() => void this.sendDue(), SEND_EVERY_MS);
    this.sendTimer.unref();
    this.roundsTimer = setInterval(() => void this.rounds(), ROUNDS_EVERY_MS);
    this.roundsTimer.unref();
    void this.rounds();
  }

  /** Something was queued: send soon. */
  wake(): void {
    if (this.stopped || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      void this.sendDue();
    }, WAKE_DELAY_MS);
    this.wakeTimer.unref();
  }

  /** Queues what the reminder and digest rounds find due, then sends. */
  async rounds(): Promise<void> {
    if (this.stopped) return;
    try {
      const queued = await queueRounds(this.database, this.now());
      if (queued > 0) this.log.info({ queued }, 'mail: reminders and digests queued');
      if (this.now() - this.prunedAt >= PRUNE_EVERY_MS) {
        await pruneMailQueue(this.database, this.now());
        this.prunedAt = this.now();
      }
    } catch (error) {
      this.log.warn({ err: error }, 'mail: reminders could not be looked for; trying again later');
    }
    await this.sendDue();
  }

  /** Sends everything due now, one batch after another; a call while sending makes the loop go round once more. */
  sendDue(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (let sent = 0; !this.stopped && sent < BATCH; sent++) {
            const notice = await takeNext(this.database, this.now());
            if (!notice) break;
            await this.sendOne(notice);
          }
        } while (this.again && !this.stopped);
      } catch (error) {
        console.error('DEBUGQ', error);
        this.log.warn({ err: error }, 'mail: the queue could not be read; trying again later');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async sendOne(notice: QueuedNotice): Promise<void> {
    let sequence: number | undefined;
    try {
      // A flood (one colleague's script making hundreds of requests) reaches a person at most PER_PERSON_PER_HOUR
      // times an hour; the rest waits, without counting as an attempt.
      if ((await sentWithinHour(this.database, notice, this.now())) >= PER_PERSON_PER_HOUR) {
        await deferHour(this.database, notice, this.now());
        return;
      }
      const rendered = await renderNotice(this.database, notice, this.config, this.now());
      if ('drop' in rendered) {
        await markDropped(this.database, notice, this.now(), rendered.drop);
        return;
      }
      sequence = rendered.message.calendar?.sequence;
      await this.transport.send(rendered.message, `<${notice.id}@meekijken>`);
    } catch (error) {
      const why = failureOf(error);
      const outcome = await markFailed(this.database, notice, this.now(), why);
      this.log.warn(
        { notice: notice.id, kind: notice.kind, attempts: notice.attempts, why, outcome },
        outcome === 'retry' ? 'mail: not sent; trying again later' : 'mail: not sent; given up',
      );
      return;
    }
    await markSent(this.database, notice, this.now(), sequence);
  }

  /**
   * Sends a message now, outside the queue (a person's test e-mail), and says how it went: `undefined` when the mail
   * server took it, else why not (`smtp 550`, `ECONNREFUSED`), never with the address.
   */
  async sendNow(message: MailMessage): Promise<string | undefined> {
    try {
      await this.transport.send(message, `<${randomUUID()}@meekijken>`);
      return undefined;
    } catch (error) {
      return failureOf(error);
    }
  }

  /** Stops the timers and waits for a send in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sendTimer);
    clearInterval(this.roundsTimer);
    clearTimeout(this.wakeTimer);
    await this.running;
    this.transport.close();
  }
}
