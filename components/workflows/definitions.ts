/**
 * The two workflow definitions from plain values, built in one place for the component and for
 * local mode alike, so that local mode runs exactly what a deployment runs. Pure: no Pulumi, no SDK.
 */
import type { StateMachineDefinition } from "./asl";
import type { NotifyRefs } from "./notify";
import { refundDefinition } from "./refund-definition";
import { shippingDefinition } from "./shipping-definition";

/** What both definitions refer to. */
export interface WorkflowDefinitionRefs extends NotifyRefs {
    /** Name of the orders table. */
    readonly tableName: string;
    /** URL of the shipment-requests queue (requests and cancellations for the warehouse). */
    readonly shipmentQueueUrl: string;
    /** ARN of the shipping state machine (a refund stops its `ship-<orderId>` execution). */
    readonly shippingStateMachineArn: string;
    /** Seconds the shipping workflow waits for the warehouse. Defaults to 7 days. */
    readonly shipmentTimeoutSeconds?: number;
    /** The AWS partition of the integration ARNs. Defaults to "aws". */
    readonly partition?: string;
}

/** The shipping and refund definitions for `refs`. */
export function workflowDefinitions(refs: WorkflowDefinitionRefs): { shipping: StateMachineDefinition; refund: StateMachineDefinition } {
    const notify: NotifyRefs = {
        ...(refs.eventBusName === undefined ? {} : { eventBusName: refs.eventBusName }),
        ...(refs.email === undefined ? {} : { email: refs.email }),
    };
    const common = { ...notify, tableName: refs.tableName, shipmentQueueUrl: refs.shipmentQueueUrl, ...(refs.partition === undefined ? {} : { partition: refs.partition }) };
    return {
        shipping: shippingDefinition({ ...common, ...(refs.shipmentTimeoutSeconds === undefined ? {} : { shipmentTimeoutSeconds: refs.shipmentTimeoutSeconds }) }),
        refund: refundDefinition({ ...common, shippingStateMachineArn: refs.shippingStateMachineArn }),
    };
}
