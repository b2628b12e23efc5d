import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    EMAIL_EVENTS_TIMEOUT_SECONDS,
    MAX_RECEIVE_COUNT,
    minVisibilityTimeoutSeconds,
    RETRY_BASE_DELAY_SECONDS,
    retryMaxDelaySeconds,
    VISIBILITY_TIMEOUT_SECONDS,
} from "../../contract/defaults";
import { EMAIL_EVENT_DESTINATION_NAME, EMAIL_EVENT_TYPES, EMAIL_EVENTS_ROLE } from "../../components/email-events";
import { EMAIL_EVENTS_BATCH_SIZE, EMAIL_EVENTS_MAX_CONCURRENCY } from "../../components/order-pipeline";
import { deliveryRank } from "../../handlers/email-events/delivery-outcome";
import { ORDER_ID_EMAIL_TAG } from "../../handlers/order/email-tags";
import { DMARC_POLICY, MAIL_FROM_SPF, MAIL_FROM_SUBDOMAIN } from "../../components/email";
import { SES_WARNING_BOUNCE_RATE, SES_WARNING_COMPLAINT_RATE } from "../../components/email-reputation";
import { ROOT } from "./markdown";

const page = (name: string) => fs.readFileSync(path.join(ROOT, "docs", name), "utf8");

describe("docs/email.md and the retry backoff in docs/operations.md", () => {
    it("should show the DMARC, SPF and MAIL FROM values the component publishes", () => {
        const email = page("email.md");
        expect(email).to.include(DMARC_POLICY);
        expect(email).to.include(MAIL_FROM_SPF);
        expect(email).to.include(`${MAIL_FROM_SUBDOMAIN}.example.com`);
    });

    it("should show the reputation alarms' thresholds", () => {
        const email = page("email.md");
        expect(email).to.include(`above ${SES_WARNING_BOUNCE_RATE * 100} %`);
        expect(email).to.include(`above ${SES_WARNING_COMPLAINT_RATE * 100} %`);
    });

    it("should show the backoff's delays as the code computes them", () => {
        const operations = page("operations.md");
        const base = RETRY_BASE_DELAY_SECONDS;
        expect(operations).to.include(`after ${base / 2} to ${base} s (base ${base} s`);
        expect(operations).to.include(`(${retryMaxDelaySeconds(VISIBILITY_TIMEOUT_SECONDS)} s with the defaults)`);
        // The third receive: after the first delay's floor plus the second's, up to both ceilings.
        expect(operations).to.include(`comes ${base / 2 + base} to ${base + 2 * base} s after the first`);
        expect(operations).to.include(`came ${VISIBILITY_TIMEOUT_SECONDS} s after the first`);
    });

    it("should give the delivery events' figures the component and the handler use", () => {
        const email = page("email.md");
        expect(email).to.include(`\`${EMAIL_EVENT_DESTINATION_NAME}\`: ${EMAIL_EVENT_TYPES.join(", ")}`);
        expect(email).to.include(`SNS topic <name>-${EMAIL_EVENTS_ROLE} -> SQS <name>-${EMAIL_EVENTS_ROLE}-queue (${MAX_RECEIVE_COUNT} receives, then its DLQ)`);
        expect(email).to.include(`(batches of ${EMAIL_EVENTS_BATCH_SIZE}, at most ${EMAIL_EVENTS_MAX_CONCURRENCY} at once)`);
        expect(email).to.include(`\`EmailTags: [{ Name: "${ORDER_ID_EMAIL_TAG}", Value: <orderId> }]\``);
        expect(email).to.include(`\`functions.emailEventsTimeoutSeconds\` (${EMAIL_EVENTS_TIMEOUT_SECONDS} s)`);
        expect(email).to.include(`six times that (${minVisibilityTimeoutSeconds(EMAIL_EVENTS_TIMEOUT_SECONDS, 0)} s)`);
        expect(email).to.include(`after ${MAX_RECEIVE_COUNT}\n  receives`);
        const ranks = [
            [`a transient (soft)\n  bounce`, deliveryRank({ outcome: "BOUNCED", bounceType: "Transient" })],
            ["`DELIVERED`", deliveryRank({ outcome: "DELIVERED" })],
            ["`REJECTED`", deliveryRank({ outcome: "REJECTED" })],
            ["a permanent or undetermined bounce", deliveryRank({ outcome: "BOUNCED", bounceType: "Permanent" })],
            ["`COMPLAINED`", deliveryRank({ outcome: "COMPLAINED" })],
        ] as const;
        expect(deliveryRank({ outcome: "BOUNCED", bounceType: "Undetermined" })).to.equal(deliveryRank({ outcome: "BOUNCED", bounceType: "Permanent" }));
        for (const [what, rank] of ranks) expect(email, what).to.include(`${what} ${rank}`);
        expect(page("operations.md")).to.include(`\`<name>-${EMAIL_EVENTS_ROLE}-dlq-messages-alarm\``);
    });
});
