/** The banner lines of `npm start` for the options and the email-events path: where each runs and how to use it. */
import type { LocalPipeline } from "../pipeline/pipeline";
import { DEFAULT_PACKING_MS } from "../warehouse/warehouse";

/** The banner's lines for the options that are on: where each runs and how to use it. */
export function optionLines(pipeline: Pick<LocalPipeline, "options">): string[] {
    const { events, workflows, auth } = pipeline.options;
    const lines: string[] = [];
    if (workflows) {
        lines.push(
            `  Workflows      ${workflows.emulator.endpoint}   Step Functions: ${workflows.shippingStateMachineArn.split(":").at(-1)}, ${workflows.refundStateMachineArn.split(":").at(-1)}`,
            `                 POST /orders/{orderId}/refund; shipments wait ${workflows.shipmentTimeoutSeconds} s for the warehouse`,
            `  Warehouse      ${workflows.warehouse.mode === "ship" ? `ships each order after ${DEFAULT_PACKING_MS / 1000} s` : workflows.warehouse.mode === "fail" ? "refuses every shipment (SendTaskFailure)" : "ignores shipment requests (executions wait for their timeout)"}   (--warehouse ship|fail|ignore)`,
            `                 reads ${workflows.shipmentQueueUrl}`,
        );
    }
    if (events) {
        lines.push(
            `  Events         ${events.emulator.endpoint}   EventBridge bus ${events.busName}, archive ${events.archiveName}`,
            `  Subscriber     ${events.subscriberQueueUrl}   every order event (OrderPlaced, OrderShipped, ...)`,
            ...events.subscribers.map((s) => `                 ${s.name} ${s.eventPattern} -> ${s.queueUrl} (stands in for its target)`),
        );
    }
    if (auth) {
        lines.push(
            `  Sign-in        every route needs Authorization: Bearer <token>; get one with npm run token -- --email ada@example.com`,
            `                 issuer ${auth.pool.issuer}, app client ${auth.pool.clientId}`,
        );
    }
    return lines;
}

/** The banner's lines for the email-events path (with email on): SES's events, the topic, the queue and its DLQ. */
export function emailEventLines(pipeline: Pick<LocalPipeline, "emailEvents" | "settings">): string[] {
    const path = pipeline.emailEvents;
    if (!path) return [];
    const r = path.resources;
    return [
        `  Email events   SES mailbox simulator ${path.simulator.endpoint} -> SNS ${r.topicArn.split(":").at(-1)} -> ${r.queueUrl}`,
        `                 DLQ ${r.dlqUrl} (after ${pipeline.settings.queue.maxReceiveCount} receives)`,
        `                 order for bounce@simulator.amazonses.com (or success@, complaint@, suppressionlist@): GET shows "email":{"outcome":"BOUNCED",...}`,
    ];
}
