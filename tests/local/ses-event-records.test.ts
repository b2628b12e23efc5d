import { expect } from "chai";
import { sesEventRecords, simulatorScenario, type AcceptedEmail, type SesEventSettings } from "../../local/emulators/ses-event-records";
import { BOUNCE_EXAMPLE, COMPLAINT_EXAMPLE, DELIVERY_EXAMPLE, shapeOf, SUPPRESSED_BOUNCE_EXAMPLE } from "./fixtures/ses-sns-examples";

describe("the SES mailbox simulator's event records", () => {
    const sentAt = new Date("2026-01-02T03:04:05.000Z");
    const settings: SesEventSettings = {
        accountId: "000000000000",
        region: "us-east-1",
        configurationSetName: "orders-local",
        matchingEventTypes: ["Bounce", "Complaint", "Delivery", "Reject"],
        ordinaryRecipients: "ignore",
        now: () => new Date(sentAt.getTime() + 250),
        feedbackId: () => "0100000000000000-00000000-0000-4000-8000-000000000000-000000",
    };
    const email = (to: string[], overrides: Partial<AcceptedEmail> = {}): AcceptedEmail => ({
        messageId: "0100018c-local-message-id-000000",
        from: "Shop <shop@example.com>",
        to,
        cc: [],
        bcc: [],
        subject: "Order confirmed",
        configurationSetName: "orders-local",
        tags: [{ Name: "orderId", Value: "4f233d76-6350-441f-83d3-227f895f1346" }],
        sentAt,
        ...overrides,
    });
    /** The tags of a record's mail object, without the ones SES adds itself (`ses:*`). */
    const customTags = (record: any) => Object.fromEntries(Object.entries(record.mail.tags).filter(([name]) => !name.startsWith("ses:")));

    it("should know the simulator's addresses, with labels and in any case, and nothing else", () => {
        expect(simulatorScenario("success@simulator.amazonses.com")).to.equal("success");
        expect(simulatorScenario("bounce+order-42@simulator.amazonses.com")).to.equal("bounce");
        expect(simulatorScenario("Complaint@Simulator.AmazonSES.com")).to.equal("complaint");
        expect(simulatorScenario("Ada <suppressionlist@simulator.amazonses.com>")).to.equal("suppressionlist");
        expect(simulatorScenario("ooto@simulator.amazonses.com")).to.equal("ooto");
        expect(simulatorScenario("unknown@simulator.amazonses.com")).to.equal(undefined);
        expect(simulatorScenario("bounce@example.com")).to.equal(undefined);
        expect(simulatorScenario("bounce@simulator.amazonses.com.evil.example")).to.equal(undefined);
        expect(simulatorScenario("no-at-sign")).to.equal(undefined);
    });

    it("should publish a Permanent/General Bounce for bounce@, shaped as the guide's example", () => {
        const records = sesEventRecords(email(["bounce@simulator.amazonses.com"]), settings);
        expect(records.map((r) => r.eventType)).to.deep.equal(["Bounce"]);
        const [bounce] = records as any[];
        // The same fields of the same types as the guide's record; the tags are compared below.
        expect(shapeOf(bounce)).to.deep.equal(shapeOf({ ...BOUNCE_EXAMPLE, mail: { ...BOUNCE_EXAMPLE.mail, tags: bounce.mail.tags } }));
        expect(bounce.bounce).to.deep.include({ bounceType: "Permanent", bounceSubType: "General", timestamp: "2026-01-02T03:04:05.250Z" });
        expect(bounce.bounce.bouncedRecipients).to.deep.equal([{ emailAddress: "bounce@simulator.amazonses.com", action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" }]);
        expect(bounce.mail).to.deep.include({
            timestamp: "2026-01-02T03:04:05.000Z",
            messageId: "0100018c-local-message-id-000000",
            source: "Shop <shop@example.com>",
            sourceArn: "arn:aws:ses:us-east-1:000000000000:identity/shop@example.com",
            sendingAccountId: "000000000000",
            destination: ["bounce@simulator.amazonses.com"],
        });
        expect(bounce.mail.tags["ses:configuration-set"]).to.deep.equal(["orders-local"]);
        expect(bounce.mail.tags["ses:from-domain"]).to.deep.equal(["example.com"]);
        // The email's own tags, each a list of values, as SES publishes them.
        expect(customTags(bounce)).to.deep.equal({ orderId: ["4f233d76-6350-441f-83d3-227f895f1346"] });
        expect(Object.keys(bounce.mail.tags).filter((n) => n.startsWith("ses:")).sort()).to.deep.equal(Object.keys(BOUNCE_EXAMPLE.mail.tags).sort());
    });

    it("should publish a Delivery for success@, shaped as the guide's example", () => {
        const [delivery, ...rest] = sesEventRecords(email(["success@simulator.amazonses.com"]), settings) as any[];
        expect(rest).to.deep.equal([]);
        expect(delivery.eventType).to.equal("Delivery");
        const example = { ...DELIVERY_EXAMPLE, mail: { ...DELIVERY_EXAMPLE.mail, tags: delivery.mail.tags } };
        expect(shapeOf(delivery)).to.deep.equal(shapeOf(example));
        expect(Object.keys(delivery.mail.tags).filter((n) => n.startsWith("ses:")).sort()).to.deep.equal(Object.keys(DELIVERY_EXAMPLE.mail.tags).filter((n) => n.startsWith("ses:")).sort());
        expect(delivery.delivery).to.deep.equal({
            timestamp: "2026-01-02T03:04:05.250Z",
            processingTimeMillis: 250,
            recipients: ["success@simulator.amazonses.com"],
            smtpResponse: "250 2.6.0 Message received",
            reportingMTA: "localhost",
        });
    });

    it("should publish a Delivery, then a later Complaint for complaint@, shaped as the guide's examples", () => {
        const records = sesEventRecords(email(["complaint@simulator.amazonses.com"]), settings) as any[];
        expect(records.map((r) => r.eventType)).to.deep.equal(["Delivery", "Complaint"]);
        const complaint = records[1];
        expect(shapeOf(complaint)).to.deep.equal(shapeOf({ ...COMPLAINT_EXAMPLE, mail: { ...COMPLAINT_EXAMPLE.mail, tags: complaint.mail.tags } }));
        expect(complaint.complaint).to.deep.include({ complainedRecipients: [{ emailAddress: "complaint@simulator.amazonses.com" }], complaintFeedbackType: "abuse" });
        expect(Date.parse(complaint.complaint.timestamp)).to.be.greaterThan(Date.parse(records[0].delivery.timestamp));
    });

    it("should publish a Permanent/Suppressed Bounce for suppressionlist@, as SES's suppression list answers", () => {
        const [bounce, ...rest] = sesEventRecords(email(["suppressionlist@simulator.amazonses.com"]), settings) as any[];
        expect(rest).to.deep.equal([]);
        expect(shapeOf(bounce.bounce)).to.deep.equal(shapeOf(SUPPRESSED_BOUNCE_EXAMPLE));
        expect(bounce.bounce).to.deep.include({ bounceType: "Permanent", bounceSubType: "Suppressed" });
        expect(bounce.bounce.bouncedRecipients[0].diagnosticCode).to.equal(SUPPRESSED_BOUNCE_EXAMPLE.bouncedRecipients[0].diagnosticCode);
    });

    it("should combine recipients by outcome: one Bounce per kind, one Delivery, one Complaint", () => {
        const records = sesEventRecords(
            email(["bounce@simulator.amazonses.com", "success@simulator.amazonses.com"], { cc: ["bounce+2@simulator.amazonses.com", "complaint@simulator.amazonses.com"], bcc: ["suppressionlist@simulator.amazonses.com"] }),
            settings,
        ) as any[];
        expect(records.map((r) => r.eventType)).to.deep.equal(["Bounce", "Bounce", "Delivery", "Complaint"]);
        expect(records[0].bounce.bouncedRecipients.map((r: any) => r.emailAddress)).to.deep.equal(["bounce@simulator.amazonses.com", "bounce+2@simulator.amazonses.com"]);
        expect(records[1].bounce.bouncedRecipients.map((r: any) => r.emailAddress)).to.deep.equal(["suppressionlist@simulator.amazonses.com"]);
        expect(records[2].delivery.recipients).to.deep.equal(["success@simulator.amazonses.com", "complaint@simulator.amazonses.com"]);
        // Bcc recipients are in the destination, not in the headers.
        expect(records[0].mail.destination).to.have.length(5);
        expect(JSON.stringify(records[0].mail.headers)).to.not.contain("suppressionlist@");
    });

    it("should deliver to ordinary recipients only when told to", () => {
        expect(sesEventRecords(email(["ada@example.com"]), settings)).to.deep.equal([]);
        const records = sesEventRecords(email(["ada@example.com"]), { ...settings, ordinaryRecipients: "deliver" }) as any[];
        expect(records.map((r) => r.eventType)).to.deep.equal(["Delivery"]);
        expect(records[0].delivery.recipients).to.deep.equal(["ada@example.com"]);
    });

    it("should publish nothing for an email that names no configuration set, or another one", () => {
        const { configurationSetName: _none, ...withoutSet } = email(["bounce@simulator.amazonses.com"]);
        expect(sesEventRecords(withoutSet, settings)).to.deep.equal([]);
        expect(sesEventRecords(email(["bounce@simulator.amazonses.com"], { configurationSetName: "someone-else" }), settings)).to.deep.equal([]);
    });

    it("should publish only the event types the destination matches", () => {
        const records = sesEventRecords(email(["complaint@simulator.amazonses.com"]), { ...settings, matchingEventTypes: ["Complaint"] });
        expect(records.map((r) => r.eventType)).to.deep.equal(["Complaint"]);
    });
});
