import { expect } from "chai";
import { configurationSetName } from "../../components/email-reputation";
import { EMAIL_EVENT_TYPES as DEPLOYED_EVENT_TYPES, EMAIL_EVENTS_ROLE } from "../../components/email-events";
import { EMAIL_EVENTS_BATCH_SIZE, EMAIL_EVENTS_MAX_CONCURRENCY } from "../../components/order-pipeline";
import { emailEventNames, EMAIL_EVENTS_NAME } from "../../local/pipeline/email-event-resources";
import { EMAIL_EVENT_TYPES, EMAIL_EVENTS_PROCESSING, localConfigurationSetName } from "../../local/pipeline/email-events";

// Local mode keeps copies of a few of the component's values (the component's modules load
// Pulumi, which local mode does not): they must stay what the component deploys.
describe("local mode's email-events path, against the component's", () => {
    it("should name the configuration set by the component's rule", () => {
        for (const [name, stack] of [["orders", "local"], ["orders", "dev"], ["shop.eu", "prod/1"], ["x".repeat(70), "dev"]]) {
            expect(localConfigurationSetName(name, stack)).to.equal(configurationSetName(name, stack));
        }
    });

    it("should name the topic and queues as the component does", () => {
        expect(EMAIL_EVENTS_NAME).to.equal(EMAIL_EVENTS_ROLE);
        expect(emailEventNames("orders")).to.deep.equal({ topic: "orders-ses-events", queue: "orders-ses-events-queue", dlq: "orders-ses-events-dlq" });
    });

    it("should publish the event types the event destination matches", () => {
        // SES v2 names them BOUNCE, DELIVERY, ...; the records say Bounce, Delivery, ...
        expect(EMAIL_EVENT_TYPES.map((t) => t.toUpperCase()).sort()).to.deep.equal([...DEPLOYED_EVENT_TYPES].sort());
    });

    it("should poll with the event source mapping's batch size, window and concurrency", () => {
        expect(EMAIL_EVENTS_PROCESSING).to.deep.equal({ batchSize: EMAIL_EVENTS_BATCH_SIZE, maxBatchingWindowSeconds: 0, maximumConcurrency: EMAIL_EVENTS_MAX_CONCURRENCY });
    });
});
