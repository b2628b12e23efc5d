import { StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";

/** The input both state machines take. */
export interface WorkflowInput {
    readonly orderId: string;
}

/** Starts one execution of a state machine under a name derived from the order. */
export type WorkflowStarter = (name: string, input: WorkflowInput) => Promise<"started" | "already-started">;

/** The shipping execution of an order: one name per order, so a second start cannot run it twice. */
export function shippingExecutionName(orderId: string): string {
    return `ship-${orderId}`;
}

/** The refund execution of an order. */
export function refundExecutionName(orderId: string): string {
    return `refund-${orderId}`;
}

/**
 * Creates a starter for one state machine. Step Functions makes the name the idempotency key: a
 * start with the name and input of a running execution returns that execution, and a name used
 * before answers ExecutionAlreadyExists; both mean the workflow of this order exists.
 */
export function createWorkflowStarter(client: SFNClient, stateMachineArn: string): WorkflowStarter {
    return async (name, input) => {
        try {
            await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ orderId: input.orderId }) }));
            return "started";
        } catch (err) {
            if (err instanceof Error && err.name === "ExecutionAlreadyExists") return "already-started";
            throw err;
        }
    };
}
