/**
 * What the delivery events of an order's confirmation email say, and how they rank. SES may send
 * several events for one email (a delivery, then a complaint; a soft bounce, then a delivery) and
 * SNS and SQS deliver them at least once and in any order, so the order keeps the event of highest
 * rank, and of two events of equal rank the later one: (rank, time) orders them all, so any
 * arrival order of the same events ends in the same record.
 */

/** The outcomes recorded on an order. */
export const EMAIL_DELIVERY_OUTCOMES = ["DELIVERED", "BOUNCED", "REJECTED", "COMPLAINED"] as const;

/** One of {@link EMAIL_DELIVERY_OUTCOMES}. */
export type EmailDeliveryOutcome = (typeof EMAIL_DELIVERY_OUTCOMES)[number];

/** SES's bounce types (event publishing, bounce object). */
export const BOUNCE_TYPES = ["Undetermined", "Permanent", "Transient"] as const;

/** One of {@link BOUNCE_TYPES}. */
export type BounceType = (typeof BOUNCE_TYPES)[number];

/** One delivery event, as the order records it: no recipient, no diagnostic text. */
export interface EmailDeliveryEvent {
    readonly outcome: EmailDeliveryOutcome;
    /** When the event happened, per SES (ISO 8601). */
    readonly at: string;
    /** For BOUNCED only. */
    readonly bounceType?: BounceType;
    readonly bounceSubType?: string;
}

/**
 * The rank of an event; a higher rank replaces a lower one.
 * - A transient (soft) bounce ranks lowest: SES sends one when it gave up on a temporary failure
 *   (a full mailbox), and mailbox providers send one after a delivery for an automatic reply; a
 *   later (or earlier) DELIVERED says more, so it never overrides DELIVERED.
 * - DELIVERED: the receiving server accepted the email.
 * - REJECTED: SES refused to send it (it found a virus); nothing else can follow for that email.
 * - BOUNCED (Permanent, or Undetermined): the email did not arrive, even when a DELIVERED came first
 *   (a server that accepted it may bounce it later).
 * - COMPLAINED: the recipient marked it as spam, after it was delivered; nothing says more.
 */
export function deliveryRank(event: Pick<EmailDeliveryEvent, "outcome" | "bounceType">): number {
    switch (event.outcome) {
        case "BOUNCED":
            return event.bounceType === "Transient" ? 1 : 4;
        case "DELIVERED":
            return 2;
        case "REJECTED":
            return 3;
        case "COMPLAINED":
            return 5;
    }
}
