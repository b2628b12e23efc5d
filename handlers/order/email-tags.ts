/**
 * The message tag that names the order on every confirmation email. ProcessOrder sets it on
 * SendEmail (`EmailTags`), SES publishes it with the email's delivery events (`mail.tags.orderId`),
 * and the email-events function finds the order by it. Order ids are UUIDs, which fit SES's tag
 * value characters (letters, digits, `_`, `-`).
 */
export const ORDER_ID_EMAIL_TAG = "orderId";
