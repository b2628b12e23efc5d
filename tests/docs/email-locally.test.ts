import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Lexer, type Tokens } from "marked";
import { MAX_RECEIVE_COUNT } from "../../contract/defaults";
import { DEFAULT_COMPONENT_NAME } from "../../contract/naming";
import { sesEventRecords, type AcceptedEmail, type SesEventSettings } from "../../local/emulators/ses-event-records";
import { emailEventNames } from "../../local/pipeline/email-event-resources";
import { EMAIL_EVENT_TYPES, EMAIL_EVENTS_PROCESSING, localConfigurationSetName } from "../../local/pipeline/email-events";
import { LOCAL_STACK } from "../../local/pipeline/local-settings";
import { ROOT } from "./markdown";

/** The "Locally" section of docs/email.md. */
function locallySection(): string {
    const page = fs.readFileSync(path.join(ROOT, "docs", "email.md"), "utf8");
    const start = page.indexOf("\n## Locally");
    expect(start, "docs/email.md has a Locally section").to.be.greaterThan(-1);
    const end = page.indexOf("\n## ", start + 1);
    return page.slice(start, end === -1 ? undefined : end);
}

describe("docs/email.md, Locally: the mailbox simulator's table and figures", () => {
    const section = locallySection();
    const settings: SesEventSettings = {
        accountId: "000000000000",
        region: "us-east-1",
        configurationSetName: "orders-local",
        matchingEventTypes: EMAIL_EVENT_TYPES,
        ordinaryRecipients: "deliver",
    };
    const emailTo = (to: string): AcceptedEmail => ({ messageId: "m-1", from: "orders@example.com", to: [to], cc: [], bcc: [], configurationSetName: "orders-local", tags: [], sentAt: new Date() });

    it("should say, for each recipient of the table, the events the simulator publishes and in what order", () => {
        const table = Lexer.lex(section).find((t): t is Tokens.Table => t.type === "table");
        expect(table, "the Locally section has a table").to.not.equal(undefined);
        expect(table!.rows.length).to.equal(6);
        for (const [recipientCell, eventsCell] of table!.rows) {
            const recipient = /`([^`]+)`/.exec(recipientCell.text)?.[1] ?? "ada@example.com";
            const records = sesEventRecords(emailTo(recipient), settings) as any[];
            // "Delivery, then Complaint (`abuse`)" -> Delivery, Complaint; "Bounce: Permanent, General" -> Bounce.
            const documented = eventsCell.text.split(/,? then |, /).map((part) => /^(Delivery|Bounce|Complaint)/.exec(part)?.[1]).filter(Boolean);
            expect(records.map((r) => r.eventType), recipientCell.text).to.deep.equal(documented);
            for (const record of records.filter((r) => r.eventType === "Bounce")) {
                expect(eventsCell.text, recipientCell.text).to.contain(`${record.bounce.bounceType}, ${record.bounce.bounceSubType}`);
            }
        }
    });

    it("should name the configuration set, topic and queues as local mode does", () => {
        expect(section).to.contain(`\`${localConfigurationSetName(DEFAULT_COMPONENT_NAME, LOCAL_STACK)}\` by default`);
        const names = emailEventNames("<name>");
        for (const name of [names.topic, names.queue, names.dlq]) expect(section).to.contain(`\`${name}\``);
        expect(section).to.contain(`after ${MAX_RECEIVE_COUNT} receives`);
    });

    it("should give the email-events worker's batch size, window and concurrency", () => {
        expect(EMAIL_EVENTS_PROCESSING.maxBatchingWindowSeconds).to.equal(0);
        expect(section).to.contain(`batches of ${EMAIL_EVENTS_PROCESSING.batchSize}, no batching window, ${EMAIL_EVENTS_PROCESSING.maximumConcurrency} at a time`);
    });

    it("should list the event types published", () => {
        expect(section).to.contain(`${[...EMAIL_EVENT_TYPES].filter((t) => t !== "Reject").sort().join(", ")} (Reject is not simulated)`);
    });
});
